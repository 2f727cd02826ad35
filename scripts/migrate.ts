// npm run migrate: bring the configured database's schema up to date and load
// any shipped consultation that is not there yet.
import { openPrepared } from '../src/lib/server/bootstrap';
import { describe } from '../src/lib/server/db/config';
import { runMain } from './lib/cli';

runMain(async () => {
	const open = await openPrepared();
	try {
		console.log(`Database: ${describe(open.config)}`);
		console.log(open.applied.length ? `Applied: ${open.applied.join(', ')}` : 'Schema already up to date.');
		if (open.loaded.length) console.log(`Loaded consultations: ${open.loaded.join(', ')}`);
	} finally {
		await open.close();
	}
});
