// Compiles messages/*.json into src/lib/paraglide (generated, not committed) without Vite:
// for `npm run check` and after `npm ci` (prepare). Offline: the message-format plugin is
// loaded from node_modules (project.inlang/settings.json), never from a CDN.
import { compile } from '@inlang/paraglide-js';
import { paraglideOptions } from '../i18n.config.js';

await compile(paraglideOptions);
