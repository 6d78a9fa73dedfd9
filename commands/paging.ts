import { arg } from "../src/core/args.ts";
import { type Block, code, paragraph } from "../src/core/message.ts";
import type { Page } from "../src/features/paging.ts";
import type { Ctx } from "./define.ts";

/** `--page 2`: which page of a list to show. */
export const pageArg = arg.integer({ min: 1, max: 100_000 }).optional();

/** Under a list of several pages: which page this is and the command for the next one. */
export function pageFooter(ctx: Ctx, page: Page<unknown>, command: string): Block[] {
  if (page.pages <= 1) return [];
  const where = { page: page.page, pages: page.pages, total: page.total };
  if (page.page >= page.pages) return [paragraph(ctx.tr.t("core.page.last", where))];
  return [paragraph(...ctx.tr.tm("core.page.more", { ...where, next: code(`${command} --page ${page.page + 1}`) }))];
}
