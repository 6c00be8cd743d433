// The README's first command (scripts/clerk-shell scripts/demo.jsh): a guided tour of the kit; tour() says what it
// shows before it shows it.
// Offline (no CLERK_SECRET_KEY): the embedded sandbox's demo data; a revoke and one deliberate error included.
// Live (CLERK_SECRET_KEY set): read-only, on the user named by CLERK_DEMO_USER_ID; nothing is revoked or created.
tour()
