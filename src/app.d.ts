import type { Db } from '$lib/server/db/connect';
import type { Language } from '$lib/i18n/languages';

declare global {
	namespace App {
		interface Locals {
			db: Db;
			/** The language the page is rendered in (English on staff pages), chosen in src/lib/server/i18n. */
			lang: Language;
			user: {
				id: number;
				email: string;
				role: 'admin' | 'officer' | 'entry';
				canSafeguard: boolean;
				canManageConsultations: boolean;
			} | null;
		}
		interface Error {
			message: string;
			/** Set for unexpected errors (handleError): quoted to the service desk, and found in the log. */
			reference?: string;
		}
	}
}

export {};
