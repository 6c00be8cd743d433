package dev.clerkkit.shell;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import jdk.jshell.Diag;
import jdk.jshell.EvalException;
import jdk.jshell.ExpressionSnippet;
import jdk.jshell.JShell;
import jdk.jshell.JShellException;
import jdk.jshell.Snippet;
import jdk.jshell.SnippetEvent;
import jdk.jshell.SourceCodeAnalysis;
import jdk.jshell.UnresolvedReferenceException;
import jdk.jshell.VarSnippet;

/**
 * Runs a JShell script (a file, or standard input with {@code -}) with the kit loaded, the way {@code scripts/clerk-shell}
 * does for {@code FILE.jsh} and {@code -}: each command is echoed as {@code > command} before its result, an uncaught
 * exception or a compile error is one {@code error: ...} line, and the exit status is 0 only when no command failed
 * (helper errors counted by {@link ClerkShell#failures()} included).
 *
 * <p>Usage: {@code ScriptRunner [--startup FILE.jsh] (FILE.jsh | -)}. The startup file (the kit's {@code clerk.jsh}) runs
 * first, without echo. Of JShell's commands only {@code /exit [status]} is understood; a script ends at its end.
 * Snippets run in this JVM (JShell's local execution engine), so a run costs one JVM start.
 */
public final class ScriptRunner {
    /** JShell's DEFAULT startup imports, which interactive sessions also get. */
    private static final String DEFAULT_IMPORTS = String.join("\n",
        "import java.io.*;", "import java.math.*;", "import java.net.*;", "import java.nio.file.*;",
        "import java.util.*;", "import java.util.concurrent.*;", "import java.util.function.*;",
        "import java.util.prefs.*;", "import java.util.regex.*;", "import java.util.stream.*;");
    private static final Pattern EXIT = Pattern.compile("/exit(?:\\s+(-?\\d+))?\\s*;?\\s*");
    private static final Pattern WRAPPERS = Pattern.compile(
        "java\\.util\\.concurrent\\.(CompletionException|ExecutionException)|java\\.lang\\.reflect\\.InvocationTargetException");

    private static final Set<Snippet.SubKind> SHOWN = Set.of(Snippet.SubKind.TEMP_VAR_EXPRESSION_SUBKIND,
        Snippet.SubKind.VAR_VALUE_SUBKIND, Snippet.SubKind.OTHER_EXPRESSION_SUBKIND);

    private final JShell shell;
    private final PrintStream out;
    private int failures;
    private Integer exitRequested;

    private ScriptRunner(JShell shell, PrintStream out) {
        this.shell = shell;
        this.out = out;
    }

    /** Entry point; exits the JVM with the run's status. */
    public static void main(String[] args) {
        System.exit(run(args, System.in, System.out));
    }

    /**
     * Runs the script named by {@code args} and returns the exit status: 0 when every command succeeded, 1 when any
     * failed, 2 on bad arguments; or the status a {@code /exit N} asked for.
     */
    public static int run(String[] args, InputStream stdin, PrintStream out) {
        String startup = null;
        String source = null;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--startup") && i + 1 < args.length) {
                startup = args[++i];
            } else if (source == null) {
                source = args[i];
            } else {
                out.println("error: usage: ScriptRunner [--startup FILE.jsh] (FILE.jsh | -)");
                return 2;
            }
        }
        if (source == null) {
            out.println("error: usage: ScriptRunner [--startup FILE.jsh] (FILE.jsh | -)");
            return 2;
        }
        String text;
        String startupText;
        try {
            text = source.equals("-") ? new String(stdin.readAllBytes(), StandardCharsets.UTF_8) : Files.readString(Path.of(source));
            startupText = startup == null ? "" : Files.readString(Path.of(startup));
        } catch (IOException e) {
            out.println("error: cannot read " + e.getMessage());
            return 2;
        }
        System.setProperty("clerkkit.shell.mode", "script");
        // The kit's boot (sandbox or client, then the banner) runs while JShell's compiler warms up; the startup
        // file's ClerkShell.boot() then finds it done. Snippets share this JVM's ClerkShell class.
        Thread boot = new Thread(() -> {
            try {
                ClerkShell.boot();
            } catch (RuntimeException e) {
                // the startup file's ClerkShell.boot() fails the same way and reports it as one line
            }
        }, "clerk-shell-boot");
        boot.start();
        try (JShell shell = JShell.builder().executionEngine("local").out(out).err(out).build()) {
            shell.addToClasspath(System.getProperty("java.class.path"));
            ScriptRunner runner = new ScriptRunner(shell, out);
            runner.runAll(DEFAULT_IMPORTS, false);
            try {
                boot.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return 1;
            }
            runner.runAll(startupText, false);
            if (runner.failures > 0) {
                out.println("error: the kit did not start (see above)");
                return 1;
            }
            if (runner.exitRequested == null) runner.runAll(text, true);
            out.flush();
            if (runner.exitRequested != null) return runner.exitRequested;
            return runner.failures + ClerkShell.failures() > 0 ? 1 : 0;
        } finally {
            ClerkShell.shutdown();
        }
    }

    /**
     * Evaluates [text] command by command, the way the interactive prompt cuts typed lines: lines are collected until
     * they form a complete snippet (several snippets on one line are split); a line starting with {@code /} between
     * snippets is a JShell command. Stops at {@code /exit}.
     */
    private void runAll(String text, boolean echo) {
        StringBuilder pending = new StringBuilder();
        for (String line : text.split("\n", -1)) {
            if (exitRequested != null) return;
            String stripped = line.strip();
            if (skipBlankAndComments(pending.toString()).isEmpty() && stripped.startsWith("/")
                && !stripped.startsWith("//") && !stripped.startsWith("/*")) {
                pending.setLength(0);
                command(stripped, echo);
                continue;
            }
            pending.append(line).append('\n');
            drain(pending, false, echo);
        }
        if (exitRequested == null) drain(pending, true, echo);
    }

    /** Evaluates the complete snippets at the start of [pending]; at the end of input, also an incomplete rest. */
    private void drain(StringBuilder pending, boolean endOfInput, boolean echo) {
        SourceCodeAnalysis analysis = shell.sourceCodeAnalysis();
        while (exitRequested == null) {
            String src = skipBlankAndComments(pending.toString());
            if (src.isEmpty()) {
                pending.setLength(0);
                return;
            }
            SourceCodeAnalysis.CompletionInfo info = analysis.analyzeCompletion(src);
            String snippet;
            String rest;
            switch (info.completeness()) {
                case COMPLETE:
                case COMPLETE_WITH_SEMI:
                case UNKNOWN:
                    snippet = info.source();
                    rest = info.remaining();
                    break;
                case EMPTY:
                    pending.setLength(0);
                    return;
                default: // DEFINITELY_INCOMPLETE, CONSIDERED_INCOMPLETE: wait for more lines, unless there are none
                    if (!endOfInput) {
                        pending.setLength(0);
                        pending.append(src);
                        return;
                    }
                    snippet = src;
                    rest = "";
                    break;
            }
            if (snippet == null || snippet.isBlank()) {
                snippet = src;
                rest = "";
            }
            pending.setLength(0);
            pending.append(rest == null ? "" : rest);
            if (echo) echo(snippet);
            eval(snippet);
        }
    }

    private void command(String command, boolean echo) {
        if (echo) echo(command);
        Matcher m = EXIT.matcher(command);
        if (m.matches()) {
            exitRequested = m.group(1) != null ? Integer.parseInt(m.group(1)) : (failures + ClerkShell.failures() > 0 ? 1 : 0);
        } else {
            failures++;
            out.println("error: " + command.split("\\s")[0]
                + " is a command of the interactive prompt; scripts run Java snippets and /exit only");
        }
    }

    private void echo(String snippet) {
        String[] lines = snippet.strip().split("\n");
        StringBuilder sb = new StringBuilder("\n> ").append(lines[0].stripTrailing());
        for (int i = 1; i < lines.length; i++) sb.append("\n  ").append(lines[i].stripTrailing());
        out.println(sb);
    }

    private void eval(String snippet) {
        List<SnippetEvent> events;
        try {
            events = shell.eval(snippet);
        } catch (IllegalStateException e) {
            failures++;
            out.println("error: " + e.getMessage());
            return;
        }
        for (SnippetEvent e : events) {
            if (e.causeSnippet() != null) continue; // updates of other snippets, not this one's result
            Snippet s = e.snippet();
            if (e.status() == Snippet.Status.REJECTED) {
                failures++;
                List<String> messages = new ArrayList<>();
                shell.diagnostics(s).filter(Diag::isError).forEach(d -> messages.add(oneLine(d.getMessage(Locale.ROOT))));
                out.println("error: " + (messages.isEmpty() ? "this snippet does not compile" : String.join("; ", messages)));
            } else if (e.exception() != null) {
                failures++;
                out.println(describe(e.exception()));
            } else if (e.value() != null && !e.value().isEmpty() && SHOWN.contains(s.subKind())) {
                // like the prompt's concise feedback: the values of expressions, not of declarations
                String name = s instanceof VarSnippet ? ((VarSnippet) s).name()
                    : s instanceof ExpressionSnippet ? ((ExpressionSnippet) s).name() : null;
                out.println((name == null || name.isEmpty() ? "" : name + " ==> ") + e.value());
            }
        }
    }

    /** One line for an exception a snippet threw: wrappers such as CompletionException are looked through. */
    static String describe(JShellException exception) {
        if (exception instanceof UnresolvedReferenceException) {
            return "error: this snippet uses something not yet defined: "
                + firstLine(((UnresolvedReferenceException) exception).getSnippet().source());
        }
        Throwable t = exception;
        while (t instanceof EvalException && t.getCause() instanceof EvalException
            && WRAPPERS.matcher(((EvalException) t).getExceptionClassName()).matches()) {
            t = t.getCause();
        }
        String type = t instanceof EvalException ? ((EvalException) t).getExceptionClassName() : t.getClass().getName();
        String message = t.getMessage() == null ? "" : firstLine(t.getMessage());
        if (type.startsWith("dev.clerkkit.") && !message.isEmpty()) return "error: " + message;
        String simple = type.substring(type.lastIndexOf('.') + 1);
        return "error: " + simple + (message.isEmpty() ? "" : ": " + message);
    }

    /** A compiler message on one line: "cannot find symbol; symbol: method foo(int)". */
    private static String oneLine(String message) {
        StringBuilder sb = new StringBuilder();
        for (String line : message.strip().split("\n")) {
            if (line.isBlank() || line.strip().startsWith("location:")) continue;
            sb.append(sb.length() == 0 ? "" : "; ").append(line.strip().replaceAll("\\s+", " "));
        }
        return sb.toString();
    }

    private static String firstLine(String s) {
        String line = s.strip();
        int eol = line.indexOf('\n');
        return eol < 0 ? line : line.substring(0, eol).strip();
    }

    /** Drops leading whitespace and comments (line and block) so a command's echo starts at its code. */
    static String skipBlankAndComments(String text) {
        int i = 0;
        while (i < text.length()) {
            if (Character.isWhitespace(text.charAt(i))) {
                i++;
            } else if (text.startsWith("//", i)) {
                int eol = text.indexOf('\n', i);
                i = eol < 0 ? text.length() : eol + 1;
            } else if (text.startsWith("/*", i)) {
                int end = text.indexOf("*/", i + 2);
                i = end < 0 ? text.length() : end + 2;
            } else {
                break;
            }
        }
        return text.substring(i);
    }
}
