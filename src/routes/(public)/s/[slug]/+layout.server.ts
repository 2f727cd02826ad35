import type { LayoutServerLoad } from './$types';

/**
 * Survey pages may show what someone typed: never keep them in a cache, and keep
 * them out of the browser's back/forward cache, so on a shared computer the
 * Back button cannot bring a sent or cleared answer back into view.
 */
export const load: LayoutServerLoad = ({ setHeaders }) => {
	setHeaders({ 'cache-control': 'no-store' });
};
