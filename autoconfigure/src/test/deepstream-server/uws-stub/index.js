// uWebSockets.js is only loaded by the server's uws endpoints, which the tests do not configure.
throw new Error('uWebSockets.js is not installed (a stub stands in for it in the tests)')
