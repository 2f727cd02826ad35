/** The shipped consultation every test runs against (db/consultations/<slug>.json). */
export { SHIPPED_SLUG as SLUG } from '../../src/lib/domain/shipped-consultation';
