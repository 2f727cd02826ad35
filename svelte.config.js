import adapter from '@sveltejs/adapter-node';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/** @type {import('@sveltejs/kit').Config} */
const config = {
	preprocess: vitePreprocess(),
	kit: {
		adapter: adapter({ out: 'build' }),
		// The cross-site check is the app's own (securityHeaders in src/lib/server/http/security-headers.ts): it
		// refuses every form post SvelteKit's check refused (no Origin of this site), and every cross-site JSON write,
		// in the respondent's language. "*" only turns SvelteKit's English-only copy of the check off.
		csrf: { trustedOrigins: ['*'] },
		// CSP with nonces/hashes so that no inline script runs without SvelteKit's say-so.
		csp: {
			mode: 'auto',
			directives: {
				'default-src': ['self'],
				'script-src': ['self'],
				'style-src': ['self', 'unsafe-inline'],
				'img-src': ['self', 'data:'],
				'font-src': ['self'],
				'connect-src': ['self'],
				'form-action': ['self'],
				'frame-ancestors': ['none'],
				'base-uri': ['self'],
				'object-src': ['none']
			}
		}
	}
};

export default config;
