/**
 * The consultation shipped with the app (db/consultations/<slug>.json and its codebooks): the Worcestershire
 * children and young people's plan consultation. The demo data, every test, bench and the crash test run against it.
 */
export const SHIPPED_SLUG = 'worcestershire-cypp-2017';

/** Its keyword codebooks, relative to the project root. */
export const SHIPPED_CODEBOOK_DIR = `db/consultations/codebooks/${SHIPPED_SLUG}`;
