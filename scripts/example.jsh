// An example script for scripts/clerk-shell (README: `scripts/clerk-shell scripts/example.jsh`). Offline it runs on
// the embedded sandbox's demo users; with CLERK_SECRET_KEY set it reads your instance (it only reads).
// Each command is echoed ("> ...") before its result; the exit status is 1 if any command failed.
active("user_demo_bob")
sessions("user_demo_carol")
var page = call(() -> client().sessions().listPage(SessionListParams.builder().userId("user_demo_alice").limit(2).build()).join());
page == null ? "no page" : page.getData().size() + " of " + page.getTotalCount() + " sessions of user_demo_alice"
