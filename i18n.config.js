// Paraglide JS compiler options, shared by the Vite plugin (dev, build, vitest) and
// scripts/i18n-compile.js (npm run check, npm ci's prepare), so both emit the same runtime.
// The language of a page is decided once, on the server (src/lib/server/i18n/), and written
// to <html lang>; the browser reads it back from there ('custom-document', src/hooks.client.ts),
// so a page never hydrates in a different language from the one it was rendered in.
/** @type {import('@inlang/paraglide-js').CompilerOptions} */
export const paraglideOptions = {
	project: './project.inlang',
	outdir: './src/lib/paraglide',
	strategy: ['custom-document', 'baseLocale'],
	emitGitIgnore: false,
	emitPrettierIgnore: false,
	emitReadme: false
};
