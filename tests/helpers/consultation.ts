/** The shipped consultation every test, bench and the crash test runs against (db/consultations/<slug>.json). */
export const SLUG = 'worcestershire-cypp-2017';
