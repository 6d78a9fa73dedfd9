import { z } from "zod";
import type { Translator } from "./i18n.ts";

/** zod's messages in the member's language: ours for the common cases, zod's locale for the rest. */
export function zodErrorMap(tr: Translator): z.core.$ZodErrorMap {
  // zod's own locale is built only when one of its messages is needed (not for every command).
  let fallback: z.core.$ZodErrorMap | undefined;
  return (issue) => {
    switch (issue.code) {
      case "too_small":
        if (issue.origin === "string") return tr.t("core.zod.tooShort", { count: Number(issue.minimum) });
        if (issue.origin === "array" || issue.origin === "set")
          return tr.t("core.zod.tooFewItems", { count: Number(issue.minimum) });
        return tr.t("core.zod.numberTooSmall", { min: Number(issue.minimum) });
      case "too_big":
        if (issue.origin === "string") return tr.t("core.zod.tooLong", { count: Number(issue.maximum) });
        if (issue.origin === "array" || issue.origin === "set")
          return tr.t("core.zod.tooManyItems", { count: Number(issue.maximum) });
        return tr.t("core.zod.numberTooBig", { max: Number(issue.maximum) });
      case "invalid_type":
      case "invalid_union":
      case "invalid_format":
        if (issue.expected === "number" || issue.expected === "int") return tr.t("core.zod.notANumber");
        return tr.t("core.zod.invalid");
      default:
        fallback ??= z.locales[tr.lang]().localeError;
        return fallback(issue);
    }
  };
}
