// clerkkit JShell kit: the startup file of scripts/clerk-shell (interactive prompt and script runs). help() lists the helpers.
import dev.clerkkit.java.*;
import dev.clerkkit.sessions.*;
import dev.clerkkit.errors.*;
import dev.clerkkit.shell.ClerkShell;
import static dev.clerkkit.shell.ClerkShell.*;
ClerkShell.boot();
