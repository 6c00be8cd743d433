// clerkkit JShell kit: loaded by scripts/clerk-shell. Type help() for the helpers.
import dev.clerkkit.java.*;
import dev.clerkkit.sessions.*;
import dev.clerkkit.errors.*;
import dev.clerkkit.shell.ClerkShell;
import static dev.clerkkit.shell.ClerkShell.*;
ClerkShell.boot();
