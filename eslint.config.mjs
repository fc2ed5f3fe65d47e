// Type-aware lint for the whole TypeScript tree (tsconfig.json's project). Rules that only
// restate formatting are left to Prettier (`npm run format`).
import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  {
    ignores: ["dist/**", "**/dist/**", "coverage/**", "**/node_modules/**", "provider/api/*.d.ts", "emulator/spec/**", "**/*.js", "**/*.mjs", "**/*.cjs"],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    linterOptions: { reportUnusedDisableDirectives: "error" },
    rules: {
      // `_name` marks a deliberately unused parameter or a key dropped from a rest spread.
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrorsIgnorePattern: "^_", destructuredArrayIgnorePattern: "^_", ignoreRestSiblings: true },
      ],
      // Handlers implement async interfaces (KindHandler) whose synchronous steps need no await.
      "@typescript-eslint/require-await": "off",
      // A stack of operations the engine awaits: a promise nobody awaits loses its error.
      "@typescript-eslint/no-floating-promises": "error",
      "@typescript-eslint/no-misused-promises": ["error", { checksVoidReturn: { arguments: false } }],
      "@typescript-eslint/switch-exhaustiveness-check": ["error", { considerDefaultExhaustiveForUnions: true }],
      eqeqeq: ["error", "always", { null: "ignore" }],
      "no-control-regex": "off",
    },
  },
  {
    // Provider code is what users run: no `any` where a real type is possible.
    files: ["provider/**/*.ts"],
    rules: { "@typescript-eslint/no-explicit-any": "error" },
  },
  {
    // Tests, the emulator, benchmarks and examples read untyped JSON answers on purpose.
    files: ["test/**/*.ts", "emulator/**/*.ts", "bench/**/*.ts", "examples/**/*.ts", "scripts/**/*.ts", "index.ts"],
    rules: {
      "@typescript-eslint/no-explicit-any": "off",
      "@typescript-eslint/no-unsafe-assignment": "off",
      "@typescript-eslint/no-unsafe-member-access": "off",
      "@typescript-eslint/no-unsafe-argument": "off",
      "@typescript-eslint/no-unsafe-call": "off",
      "@typescript-eslint/no-unsafe-return": "off",
    },
  },
  {
    files: ["test/**/*.ts"],
    rules: {
      // jest's expect(obj.method) and gRPC clients' method references are not unbound calls.
      "@typescript-eslint/unbound-method": "off",
      // Harness and suites load the built provider the way the host does, by path.
      "@typescript-eslint/no-require-imports": "off",
    },
  },
);
