package dev.clerkkit.apiguard;

import com.github.difflib.DiffUtils;
import com.github.difflib.UnifiedDiffUtils;
import com.github.difflib.patch.Patch;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import kotlin.sequences.Sequence;
import kotlin.sequences.SequencesKt;
import kotlinx.validation.api.ClassBinarySignature;
import kotlinx.validation.api.KotlinSignaturesLoadingKt;

/**
 * A module's public API as the Kotlin binary-compatibility-validator sees it (what Kotlin and Java callers can
 * link against, read from the compiled classes and their Kotlin metadata), and its check against the module's
 * checked-in {@code api/<artifactId>.api} file.
 *
 * <p>Left out of the dump: Kotlin {@code internal} and private declarations (public in bytecode, private in Kotlin),
 * synthetic members, every package named {@code internal} under {@code dev.clerkkit} (e.g. {@code dev.clerkkit.internal},
 * {@code dev.clerkkit.testkit.internal}), and every class or member annotated with
 * {@code dev.clerkkit.internal.InternalClerkkitApi} (matched by name; the annotation needs BINARY or RUNTIME retention,
 * as a Kotlin {@code @RequiresOptIn} marker has by default).
 *
 * <p>The file format is the validator's own, so the files read the same as those of Kotlin libraries built with it.
 */
public final class PublicApi {
    /** System property: {@code true} rewrites the API file from the classes instead of comparing. */
    public static final String UPDATE_PROPERTY = "clerkkit.api.update";
    /** System property: the module's compiled classes ({@code target/classes}). */
    public static final String CLASSES_PROPERTY = "clerkkit.api.classes";
    /** System property: the module's checked-in API file. */
    public static final String FILE_PROPERTY = "clerkkit.api.file";

    /** Regenerates every library module's API file (also in docs/releasing.md and the parent pom). */
    public static final String REGENERATE_COMMAND =
        "mvn -B -Dkotlin.compiler.daemon=false test -Dclerkkit.api.update=true -pl client,java-interop,testkit,redis,opentelemetry,micrometer,ktor-server,servlet -am";

    /** Annotations that take a declaration out of the public API, by fully qualified name. */
    public static final Set<String> NON_PUBLIC_MARKERS = Set.of("dev.clerkkit.internal.InternalClerkkitApi");

    private static final int MAX_DIFF_LINES = 200;

    private PublicApi() {}

    /** The dump of every class under {@code classesDir}, in the validator's format (empty for no public API). */
    public static String dump(Path classesDir) {
        List<Path> classFiles;
        try (Stream<Path> files = Files.walk(classesDir)) {
            classFiles = files
                .filter(f -> f.getFileName().toString().endsWith(".class"))
                .filter(f -> !classesDir.relativize(f).toString().startsWith("META-INF"))
                .sorted()
                .collect(Collectors.toList());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the classes in " + classesDir, e);
        }
        Iterator<Path> paths = classFiles.iterator();
        Sequence<InputStream> streams = SequencesKt.asSequence(new Iterator<InputStream>() {
            @Override public boolean hasNext() { return paths.hasNext(); }
            @Override public InputStream next() {
                Path next = paths.next();
                try {
                    return Files.newInputStream(next); // the validator closes each stream after reading it
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot read " + next, e);
                }
            }
        });
        List<ClassBinarySignature> all = KotlinSignaturesLoadingKt.loadApiFromJvmClasses(streams, name -> true);

        Set<String> markers = NON_PUBLIC_MARKERS.stream().map(m -> m.replace('.', '/')).collect(Collectors.toSet());
        Set<String> nonPublicPackages = new TreeSet<>(internalPackages(classesDir, classFiles));
        nonPublicPackages.addAll(KotlinSignaturesLoadingKt.extractAnnotatedPackages(all, markers)
            .stream().map(p -> p.replace('/', '.')).collect(Collectors.toList()));

        List<ClassBinarySignature> visible = KotlinSignaturesLoadingKt.filterOutAnnotated(
            KotlinSignaturesLoadingKt.filterOutNonPublic(all, nonPublicPackages, List.of()), markers);
        return KotlinSignaturesLoadingKt.dump(visible, new StringBuilder()).toString();
    }

    /** Packages named {@code internal} (and those below them) under {@code dev.clerkkit}, dotted, of these class files. */
    private static Set<String> internalPackages(Path classesDir, List<Path> classFiles) {
        Set<String> out = new TreeSet<>();
        for (Path f : classFiles) {
            Path dir = classesDir.relativize(f).getParent();
            if (dir == null) continue;
            List<String> segments = new ArrayList<>();
            dir.forEach(segment -> segments.add(segment.toString()));
            int internal = segments.indexOf("internal");
            if (internal >= 2 && segments.get(0).equals("dev") && segments.get(1).equals("clerkkit")) {
                out.add(String.join(".", segments.subList(0, internal + 1)));
            }
        }
        return out;
    }

    /**
     * Compares the dump of {@code classesDir} with {@code apiFile}; with {@code update}, writes the file instead when
     * they differ. Throws an {@link AssertionError} with a unified diff and the command that regenerates the files.
     */
    public static void check(Path classesDir, Path apiFile, boolean update) {
        if (!Files.isDirectory(classesDir)) {
            throw new AssertionError("no compiled classes at " + classesDir + ": compile the module first");
        }
        String actual = dump(classesDir);
        String shown = display(apiFile);
        if (update) {
            if (!Files.isRegularFile(apiFile) || !normalize(read(apiFile)).equals(actual)) {
                try {
                    Files.createDirectories(apiFile.getParent());
                    Files.writeString(apiFile, actual, StandardCharsets.UTF_8);
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot write " + apiFile, e);
                }
                System.out.println("clerkkit public API: wrote " + shown);
            }
            return;
        }
        if (!Files.isRegularFile(apiFile)) {
            throw new AssertionError("There is no checked-in public API file " + shown + " (" + apiFile + ").\n"
                + "Create it (and every other module's) from the compiled classes, review it and commit it:\n    "
                + REGENERATE_COMMAND + "\n");
        }
        String expected = normalize(read(apiFile));
        if (expected.equals(actual)) return;
        throw new AssertionError(mismatch(shown, expected, actual));
    }

    /** {@link #check} for the module under test, from the system properties the parent pom's Surefire setup passes. */
    public static void checkThisModule() {
        String classes = System.getProperty(CLASSES_PROPERTY);
        String file = System.getProperty(FILE_PROPERTY);
        if (classes == null || file == null) {
            throw new AssertionError("the system properties " + CLASSES_PROPERTY + " and " + FILE_PROPERTY
                + " are not set: run this spec through Maven (the parent pom's Surefire configuration sets them)");
        }
        check(Path.of(classes), Path.of(file), Boolean.parseBoolean(System.getProperty(UPDATE_PROPERTY, "false")));
    }

    /** The failure message: what changed, as a unified diff (checked-in file to compiled classes), and what to do. */
    static String mismatch(String shown, String expected, String actual) {
        List<String> before = lines(expected);
        List<String> after = lines(actual);
        Patch<String> patch = DiffUtils.diff(before, after);
        List<String> diff = UnifiedDiffUtils.generateUnifiedDiff(
            shown + " (checked in)", shown + " (from target/classes now)", before, patch, 3);
        StringBuilder out = new StringBuilder()
            .append("The public API no longer matches ").append(shown).append(".\n")
            .append("Lines with - are in the checked-in file only, lines with + in the compiled classes only:\n\n");
        diff.stream().limit(MAX_DIFF_LINES).forEach(line -> out.append(line).append('\n'));
        if (diff.size() > MAX_DIFF_LINES) {
            out.append("... ").append(diff.size() - MAX_DIFF_LINES).append(" more diff lines\n");
        }
        out.append("\nIf the change is intended, regenerate the API files and commit them with it:\n    ")
            .append(REGENERATE_COMMAND).append('\n')
            .append("A removed or changed line breaks callers compiled against an earlier release (docs/releasing.md).\n");
        return out.toString();
    }

    /** {@code client/api/clerkkit-client.api} for {@code <root>/client/api/clerkkit-client.api}. */
    private static String display(Path apiFile) {
        Path dir = apiFile.toAbsolutePath().getParent();
        Path module = dir == null ? null : dir.getParent();
        if (module == null || module.getFileName() == null) return apiFile.toString();
        return module.getFileName() + "/" + dir.getFileName() + "/" + apiFile.getFileName();
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    private static String normalize(String text) {
        return text.replace("\r\n", "\n");
    }

    private static List<String> lines(String text) {
        return new ArrayList<>(List.of(text.split("\n", -1)));
    }
}
