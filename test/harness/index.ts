export * from "./host";
export * from "./engine";
export * from "./leaks";
export * from "./portable";
export * from "./serialize";
