// ESLint flat config: the recommended sets, then the layering rules that keep data flowing one way
// (route → domain function in src/lib/server → Kysely), then eslint-config-prettier so that formatting is
// Prettier's job alone.
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import ts from 'typescript-eslint';
import svelteConfig from './svelte.config.js';

/** Imports a layer may not make, as no-restricted-imports patterns (matched against the import string). */
const database = {
	regex: '^(kysely(/.*)?|\\$lib/server/db(/.*)?|(\\.\\./)+(lib/)?server/db(/.*)?)$',
	message: 'Routes call a domain function in $lib/server/<area>; only that layer talks to the database.'
};
const components = {
	regex: '^(\\$lib/components(/.*)?|(\\.\\./)+components(/.*)?)$',
	message: 'Server code must not depend on Svelte components: move the shared thing to src/lib proper.'
};
const serverOrFramework = {
	regex: '^(kysely(/.*)?|@sveltejs/kit(/.*)?|\\$lib/server(/.*)?|(\\.\\./)+server(/.*)?|\\$app/.*)$',
	message: 'Pure modules (themes, safeguarding, privacy, analysis) have no database, server or framework imports.'
};

export default ts.config(
	{ ignores: ['build/', '.svelte-kit/', 'node_modules/', 'db/', 'static/', 'src/lib/paraglide/'] },
	js.configs.recommended,
	...ts.configs.recommended,
	...svelte.configs.recommended,
	{
		linterOptions: { reportUnusedDisableDirectives: 'error' },
		languageOptions: { globals: { ...globals.browser, ...globals.node } }
	},
	{
		// Kysely's convention: migrations use Kysely<any>, frozen in time, never the app's Database type.
		files: ['src/lib/server/db/migrations/**'],
		rules: { '@typescript-eslint/no-explicit-any': 'off' }
	},
	{
		files: ['**/*.svelte', '**/*.svelte.ts', '**/*.svelte.js'],
		languageOptions: {
			parserOptions: { projectService: true, extraFileExtensions: ['.svelte'], parser: ts.parser, svelteConfig }
		}
	},
	{
		rules: {
			// `_`-prefixed names are deliberately unused (destructuring a field away, a required parameter).
			'@typescript-eslint/no-unused-vars': [
				'error',
				{ argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_', ignoreRestSiblings: true }
			],
			// Links here are plain hrefs to known server routes, with base path '' (no `paths.base`, no resolve() needed).
			'svelte/no-navigation-without-resolve': 'off',
			// `{' '}` keeps a space at the edge of an {#if} block, where a bare space would be trimmed.
			'svelte/no-useless-mustaches': 'off',
			// Flags throwaway URLSearchParams/Map/Set built inside a $derived, which never need to be reactive.
			'svelte/prefer-svelte-reactivity': 'off'
		}
	},
	{
		files: ['src/routes/**'],
		rules: {
			'no-restricted-imports': ['error', { patterns: [database] }],
			// The database handle reaches routes on event.locals, to pass to domain functions, not to query with.
			'no-restricted-syntax': [
				'error',
				{
					selector:
						'CallExpression[callee.property.name=/^(selectFrom|insertInto|updateTable|deleteFrom|replaceInto|mergeInto)$/]',
					message: 'Routes call a domain function in $lib/server/<area>; only that layer builds queries.'
				}
			]
		}
	},
	{
		files: ['src/lib/server/**'],
		rules: { 'no-restricted-imports': ['error', { patterns: [components] }] }
	},
	{
		files: ['src/lib/themes/**', 'src/lib/safeguarding/**', 'src/lib/privacy/**', 'src/lib/analysis/**'],
		rules: { 'no-restricted-imports': ['error', { patterns: [serverOrFramework] }] }
	},
	prettier,
	...svelte.configs.prettier
);
