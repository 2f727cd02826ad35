import net from 'node:net';

/** Whether `port` on loopback can be listened on now. */
function listenable(port: number): Promise<number | null> {
	return new Promise((resolve) => {
		const srv = net.createServer();
		srv.unref();
		srv.on('error', () => resolve(null));
		srv.listen(port, '127.0.0.1', () => {
			const { port: got } = srv.address() as net.AddressInfo;
			srv.close(() => resolve(got));
		});
	});
}

// Ports handed out by this process from FREE_PORT_RANGE, so two servers started together get different ones.
const handedOut = new Set<number>();

/**
 * A free TCP port on loopback, for test and benchmark servers. With FREE_PORT_RANGE=FROM-TO (a shared machine
 * where each session keeps to its own ports) it is one from that range, else any the system offers.
 */
export async function freePort(): Promise<number> {
	const range = /^(\d+)-(\d+)$/.exec(process.env.FREE_PORT_RANGE ?? '');
	if (!range) {
		const port = await listenable(0);
		if (port === null) throw new Error('no free port on 127.0.0.1');
		return port;
	}
	for (let port = Number(range[1]); port <= Number(range[2]); port++) {
		if (handedOut.has(port)) continue;
		if ((await listenable(port)) !== null) {
			handedOut.add(port);
			return port;
		}
	}
	throw new Error(`no free port in FREE_PORT_RANGE=${process.env.FREE_PORT_RANGE}`);
}
