// PASSWORD=... npm run --silent user -- add EMAIL --role ROLE [--safeguard]
//                                       list | disable EMAIL | enable EMAIL | set-password EMAIL
import { openPrepared } from '../src/lib/server/bootstrap';
import {
	createUser,
	findUserByEmail,
	listUsers,
	setPassword,
	updateUser,
	UserError,
	ROLES
} from '../src/lib/server/users/index';
import { runMain, UsageError } from './lib/cli';

const USAGE = `usage: PASSWORD=... npm run --silent user -- add EMAIL --role ${ROLES.join('|')} [--safeguard]
       npm run --silent user -- list
       npm run --silent user -- disable EMAIL | enable EMAIL
       PASSWORD=... npm run --silent user -- set-password EMAIL`;

function passwordFromEnv(): string {
	const password = process.env.PASSWORD;
	if (!password)
		throw new UsageError(
			'set the password in the PASSWORD environment variable (it is never taken from the command line)'
		);
	return password;
}

runMain(async () => {
	const args = process.argv.slice(2);
	const [command, email] = args;
	if (!command || !['add', 'list', 'disable', 'enable', 'set-password'].includes(command)) throw new UsageError(USAGE);
	if (command !== 'list' && !email) throw new UsageError(USAGE);
	let role: string | undefined;
	if (command === 'add') {
		const i = args.indexOf('--role');
		role = i === -1 ? undefined : args[i + 1];
		if (!role) throw new UsageError(`add needs --role ${ROLES.join('|')}`);
		if (!ROLES.includes(role as never)) throw new UsageError(`--role must be one of ${ROLES.join(', ')}`);
	}
	const password = command === 'add' || command === 'set-password' ? passwordFromEnv() : '';
	const open = await openPrepared();
	try {
		if (command === 'list') {
			for (const u of await listUsers(open.db)) {
				console.log(
					[
						u.email,
						u.role,
						u.disabled ? 'disabled' : 'active',
						u.canSafeguard ? 'safeguarding' : '',
						u.lastLoginAt ?? 'never signed in'
					].join('\t')
				);
			}
			return;
		}
		if (command === 'add') {
			const u = await createUser(
				open.db,
				{ email, role: role!, password, canSafeguard: args.includes('--safeguard') },
				null
			);
			console.log(`Created ${u.role} ${u.email}`);
			return;
		}
		const user = await findUserByEmail(open.db, email);
		if (!user) throw new UsageError(`no user with email ${email}`);
		if (command === 'set-password') {
			await setPassword(open.db, user.id, password, null);
			console.log(`Password changed for ${user.email}; their sessions have ended`);
		} else {
			await updateUser(open.db, user.id, { disabled: command === 'disable' }, null);
			console.log(`${command === 'disable' ? 'Disabled' : 'Enabled'} ${user.email}`);
		}
	} catch (error) {
		if (error instanceof UserError) throw new UsageError(error.message);
		throw error;
	} finally {
		await open.close();
	}
});
