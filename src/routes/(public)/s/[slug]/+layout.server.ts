import type { LayoutServerLoad } from './$types';

/**
 * The survey's pages are forms the server renders and answers: they work the same without JavaScript, so
 * they are sent without the app's (about 45 KB with brotli: Svelte, SvelteKit's router, and every message in
 * all four languages) and without the copy of the page's data it would hydrate from (issue #16: pages had
 * grown to 65-86 KB, over the 60 KB a child's phone plan should pay). Only the question page opts back in,
 * for its live character count (q/[p]/[n]/+page.server.ts). Without the app's script a form posts and the
 * next page loads in full; the error summary takes the focus with `autofocus` (ErrorSummary.svelte), and
 * `no-store` below keeps the pages out of the back/forward cache.
 */
export const csr = false;

/**
 * Survey pages may show what someone typed: never keep them in a cache, and keep
 * them out of the browser's back/forward cache, so on a shared computer the
 * Back button cannot bring a sent or cleared answer back into view.
 */
export const load: LayoutServerLoad = ({ setHeaders }) => {
	setHeaders({ 'cache-control': 'no-store' });
};
