// npm run consultation -- load FILE | export SLUG | list
import { openPrepared } from '../src/lib/server/bootstrap';
import { readDefinition } from '../src/lib/server/consultations/definition';
import { upsertConsultation } from '../src/lib/server/consultations/store';
import { listConsultations } from '../src/lib/server/consultations/queries';
import { definitionText, storedDefinition } from '../src/lib/server/consultations/builder';
import { installCodebooks, readCodebooks } from '../src/lib/server/coding/codebooks';
import { runMain, UsageError } from './lib/cli';

const USAGE = 'usage: npm run consultation -- load FILE | export SLUG > FILE | list';

runMain(async () => {
	const [command, file] = process.argv.slice(2);
	if (command === 'load') {
		if (!file) throw new UsageError(USAGE);
		// Validate the file and its codebooks before touching the database.
		const def = readDefinition(file);
		const codebooks = readCodebooks(def);
		const open = await openPrepared();
		try {
			const { id, created } = await upsertConsultation(open.db, def);
			const themes = await installCodebooks(open.db, id, codebooks);
			console.log(`${created ? 'Loaded' : 'Updated'} consultation ${def.definition.slug}: ${def.definition.title}`);
			if (themes) console.log(`Installed ${themes} themes from its codebooks.`);
		} finally {
			await open.close();
		}
		return;
	}
	if (command === 'export') {
		const slug = file;
		if (!slug) throw new UsageError(USAGE);
		const open = await openPrepared();
		try {
			const def = await storedDefinition(open.db, slug);
			if (!def) throw new UsageError(`There is no consultation "${slug}". ${USAGE}`);
			// The file the builder's "Export" gives, byte for byte; it loads with `load` and imports in the builder.
			process.stdout.write(definitionText(def));
		} finally {
			await open.close();
		}
		return;
	}
	if (command === 'list') {
		const open = await openPrepared();
		try {
			for (const c of await listConsultations(open.db)) console.log(`${c.slug}\t${c.status}\t${c.title}`);
		} finally {
			await open.close();
		}
		return;
	}
	throw new UsageError(USAGE);
});
