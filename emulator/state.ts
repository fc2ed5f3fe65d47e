// The emulator's single in-memory model. Both REST wires and GraphQL read and write these
// objects; each wire only converts its request shape into these inputs and renders them back.
// The model is split per resource under store/ (each layer extends the one below it).
export * from "./store/types";
export { Store } from "./store/secrets";
