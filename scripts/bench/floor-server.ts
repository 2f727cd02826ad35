// The throughput floor for POST /api/s/<slug>/submissions: a bare node:http
// server that reads the JSON body and does one better-sqlite3 insert per
// request, with the same SQLite settings as the app (WAL, synchronous=FULL).
// Run: PORT=... FLOOR_DB=/tmp/x.sqlite node --import tsx scripts/bench/floor-server.ts
import http from 'node:http';
import Database from 'better-sqlite3';

const db = new Database(process.env.FLOOR_DB ?? ':memory:');
db.pragma('journal_mode = WAL');
db.pragma('synchronous = FULL');
db.exec('create table if not exists submission (id text primary key, body text not null, created_at text not null)');
const insert = db.prepare('insert into submission (id, body, created_at) values (?, ?, ?) on conflict (id) do nothing');

const server = http.createServer((req, res) => {
	if (req.method !== 'POST') {
		res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
		return;
	}
	const chunks: Buffer[] = [];
	req.on('data', (c: Buffer) => chunks.push(c));
	req.on('end', () => {
		try {
			const body = Buffer.concat(chunks).toString('utf8');
			const { id } = JSON.parse(body) as { id: string };
			const r = insert.run(id, body, new Date().toISOString());
			res.writeHead(r.changes === 1 ? 201 : 200, { 'content-type': 'application/json' }).end(JSON.stringify({ id }));
		} catch {
			res.writeHead(400, { 'content-type': 'application/json' }).end('{"message":"bad body"}');
		}
	});
});
server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
	const a = server.address();
	console.log(`floor listening on ${typeof a === 'object' && a ? a.port : a}`);
});
process.on('SIGTERM', () =>
	server.close(() => {
		db.close();
		process.exit(0);
	})
);
