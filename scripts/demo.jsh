// The README's first command: a tour of the kit.
// Offline (no CLERK_SECRET_KEY): the embedded sandbox's demo data, a revoke and an error included.
// Live (CLERK_SECRET_KEY set): read-only, on the user named by CLERK_DEMO_USER_ID; nothing is revoked or created.
if (sandbox() == null) {
    liveTour();
} else {
    System.out.println("\n> active(\"user_demo_alice\")");
    active("user_demo_alice");
    System.out.println("\n> sessions(\"user_demo_alice\")");
    sessions("user_demo_alice");
    System.out.println("\n> var jwt = token(\"sess_demo_alice_laptop\")");
    var jwt = token("sess_demo_alice_laptop");
    System.out.println("\n> verify(jwt)");
    verify(jwt);
    System.out.println("\n> revoke(\"sess_demo_alice_laptop\")");
    revoke("sess_demo_alice_laptop");
    System.out.println("\n> get(\"sess_missing\")");
    get("sess_missing");
}
/exit
