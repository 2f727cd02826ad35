// Placeholder replaced below once the build helper exists.
export default async function setup() {}
