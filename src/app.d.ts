import type { Db } from '$lib/server/db/connect';

declare global {
	namespace App {
		interface Locals {
			db: Db;
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
