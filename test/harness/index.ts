export * from "./protocol";
export * from "./host";
export * from "./results";
export * from "./engine";
export * from "./stack";
export * from "./leaks";
export * from "./portable";
export * from "./serialize";
