/**
 * Lists show one page at a time: the database counts the rows and returns only the page
 * shown, so a list costs the same with 10 rows or 10,000.
 */
export const pageSize = 20;

/** One page of a list: its rows, which page it is, how many pages and rows there are. */
export interface Page<T> {
  items: T[];
  page: number;
  pages: number;
  total: number;
}

/** The page to read for a request: past the last page means the last one. */
export function pageWindow(total: number, requested: number | undefined, size = pageSize) {
  const pages = Math.max(1, Math.ceil(total / size));
  const page = Math.min(Math.max(1, requested ?? 1), pages);
  return { page, pages, skip: (page - 1) * size, take: size };
}

/** Counts, then reads only the rows of the requested page. */
export async function readPage<T>(
  requested: number | undefined,
  count: () => Promise<number>,
  read: (window: { skip: number; take: number }) => Promise<T[]>,
  size = pageSize,
): Promise<Page<T>> {
  const total = await count();
  const { page, pages, skip, take } = pageWindow(total, requested, size);
  const items = total === 0 ? [] : await read({ skip, take });
  return { items, page, pages, total };
}

/** The same page with its rows turned into something else. */
export async function mapPage<T, U>(page: Page<T>, map: (items: T[]) => Promise<U[]>): Promise<Page<U>> {
  return { ...page, items: await map(page.items) };
}
