// Prints the named environment variables as JSON (null when unset), for the real-shell round trips.
process.stdout.write(JSON.stringify(Object.fromEntries(process.argv.slice(2).map(name => [name, process.env[name] ?? null]))));
