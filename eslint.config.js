// @ts-check
import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["node_modules/", "src/generated/", "data/", "bench/", "coverage/", ".ci/out/"] },
  js.configs.recommended,
  // Type-aware: the rules see what TypeScript knows (unawaited promises, impossible conditions).
  ...tseslint.configs.strictTypeChecked,
  { languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } } },
  {
    rules: {
      "@typescript-eslint/no-explicit-any": "error",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "no-control-regex": "off",
      eqeqeq: ["error", "always"],
      // Numbers in templates ("#12", "in 3 days") read as expected; objects and undefined stay refused.
      "@typescript-eslint/restrict-template-expressions": ["error", { allowNumber: true }],
      // `(x) => handle(x)` callbacks are plain; braces around every such call add noise, not safety.
      "@typescript-eslint/no-confusing-void-expression": ["error", { ignoreArrowShorthand: true }],
      // An async method without await still turns a throw into a rejection, which callers of
      // promise-returning interfaces (adapters, ports, fakes in tests) rely on.
      "@typescript-eslint/require-await": "off",
    },
  },
  {
    // Tests read untyped wire data and rows (fake servers, raw SQL), compare them with SDK enums
    // and tear down fixtures whose setup may have failed: these rules fight that reading
    // without finding bugs there. Production code keeps them.
    files: ["test/**/*.ts"],
    rules: {
      "@typescript-eslint/no-unnecessary-condition": "off",
      "@typescript-eslint/no-base-to-string": "off",
      "@typescript-eslint/no-unsafe-enum-comparison": "off",
      "@typescript-eslint/no-unnecessary-type-conversion": "off",
      // vitest types its asymmetric matchers (expect.stringMatching, expect.any) as any.
      "@typescript-eslint/no-unsafe-assignment": "off",
    },
  },
  // Config files in plain JavaScript are outside the TypeScript project.
  { files: ["**/*.js"], ...tseslint.configs.disableTypeChecked },
);
