import { z } from 'zod';

/**
 * Staff forms: sign-in and user accounts. A form's schema gives each field its
 * GOV.UK-style message; rules that need the database (an email already used,
 * the last admin) stay in the domain functions, whose refusals come back on
 * the same field.
 */

/** A ticked checkbox sends "on"; an unticked one sends nothing. */
export const checkbox = z
	.union([z.literal('on'), z.literal('true'), z.literal('1'), z.literal('')])
	.optional()
	.transform((v) => v === 'on' || v === 'true' || v === '1');

export const STAFF_ROLES = ['admin', 'officer', 'entry'] as const;

export const emailSchema = z
	.string()
	.trim()
	.max(320)
	.email({ message: 'Enter an email address in the right format, like name@example.gov.uk' });

export const loginForm = z.object({
	email: z.string({ message: 'Enter your email address' }).trim().min(1, 'Enter your email address'),
	password: z.string({ message: 'Enter your password' }).min(1, 'Enter your password'),
	next: z.string().optional().default('')
});

const role = z.enum(STAFF_ROLES, { message: 'Choose a role' });

export const newUserForm = z.object({
	email: z.string({ message: 'Enter an email address' }).trim().min(1, 'Enter an email address'),
	role,
	canSafeguard: checkbox,
	password: z.string().optional().default('')
});

export const userRoleForm = z.object({ role, canSafeguard: checkbox, canManageConsultations: checkbox });

export const passwordForm = z.object({ password: z.string().optional().default('') });
