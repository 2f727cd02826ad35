/**
 * The seam between the app and the theme engine (src/lib/themes): everything
 * the app needs from the engine passes through these names.
 */
export { trainCoder, codeAnswers, type Coder } from '../../themes/index';
