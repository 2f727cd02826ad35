import fs from 'node:fs';
import path from 'node:path';
import { consultationFileSchema, describeIssues, type ConsultationFile } from '../../schemas/consultation-file';
import { ConfigError } from '../db/config';

export const DEFAULT_CONSULTATIONS_DIR = 'db/consultations';

export interface LoadedDefinition {
	file: string;
	definition: ConsultationFile;
}

/**
 * `npm run consultation -- export SLUG > FILE` puts npm's own banner ("> app@1.0.0
 * consultation", "> tsx scripts/...") at the top of FILE unless run with --silent:
 * those lines, and nothing else, are skipped before the JSON.
 */
export function withoutNpmBanner(text: string): string {
	return text.replace(/^(?:\s*\n|>[^\n]*\n)+(?=\s*\{)/, '');
}

/** Reads and validates one consultation file; the error names the file and the bad field. */
export function readDefinition(file: string): LoadedDefinition {
	let raw: string;
	try {
		raw = fs.readFileSync(file, 'utf8');
	} catch (error) {
		throw new ConfigError(`Consultation file ${file} cannot be read: ${(error as Error).message}`);
	}
	let json: unknown;
	try {
		json = JSON.parse(withoutNpmBanner(raw));
	} catch (error) {
		throw new ConfigError(`Consultation file ${file} is not valid JSON: ${(error as Error).message}`);
	}
	const parsed = consultationFileSchema.safeParse(json);
	if (!parsed.success) {
		throw new ConfigError(`Consultation file ${file} is invalid: ${describeIssues(parsed.error)}`);
	}
	return { file: path.resolve(file), definition: parsed.data };
}

/** Every definition in the folder, validated before any is loaded. */
export function readDefinitionsIn(dir = DEFAULT_CONSULTATIONS_DIR): LoadedDefinition[] {
	if (!fs.existsSync(dir)) return [];
	return fs
		.readdirSync(dir)
		.filter((f) => f.endsWith('.json'))
		.sort()
		.map((f) => readDefinition(path.join(dir, f)));
}
