package dev.clerkkit.java;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clerkkit.ClerkClient;
import kotlin.Metadata;
import kotlin.metadata.Attributes;
import kotlin.metadata.Visibility;
import kotlin.metadata.jvm.KotlinClassMetadata;
import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Type;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;

/**
 * What a Java caller sees of clerkkit, read from the compiled classes: no Kotlin-isms. Every public
 * class of the Java facade, the models, params, errors, token claims and configuration is checked for suspend
 * functions ({@code Continuation} parameters), {@code kotlin.Unit} results, Kotlin function types, {@code Flow}s,
 * mangled names, and factories reachable only through {@code Companion}.
 */
class JavaApiSurfaceTest {
    /**
     * Kotlin-first types. Java callers use {@link ClerkJavaClient} and {@link SessionsAsync} instead of the first three;
     * {@code Sleeper}, {@code JwksFetcher} and {@code RateBudget} (with its built-in {@code LocalRateBudget}) are suspend
     * SPIs for Kotlin code (Java callers keep the defaults: a real wait, the client's own JWKS fetch behind
     * {@code ClerkJavaClient.verifyToken}, and a local rate budget sized by {@code rateLimit}, or pass a ready-made
     * budget such as {@code RedisRateBudget}).
     */
    private static final Set<String> KOTLIN_FIRST = Set.of(
        "dev.clerkkit.ClerkClient",
        "dev.clerkkit.ClerkClient$Companion",
        "dev.clerkkit.sessions.Sessions",
        "dev.clerkkit.tokens.SessionTokenVerifier",
        "dev.clerkkit.Sleeper",
        "dev.clerkkit.tokens.JwksFetcher",
        "dev.clerkkit.ratelimit.RateBudget",
        "dev.clerkkit.ratelimit.LocalRateBudget");

    /** Kotlin-only DSL entry points on companions (`ClerkConfig { ... }`); Java has the static builder() instead. */
    private static final Set<String> DSL_NAMES = Set.of("invoke");

    private static List<Class<?>> javaFacingClasses() throws Exception {
        List<Class<?>> out = new ArrayList<>();
        for (Class<?> anchor : List.of(ClerkJavaClient.class, ClerkClient.class)) {
            for (String name : classNames(anchor)) {
                if (!name.startsWith("dev.clerkkit.")) continue;
                if (name.startsWith("dev.clerkkit.http.")) continue; // Kotlin `internal` (public in bytecode)
                if (name.endsWith("$serializer")) continue; // kotlinx.serialization's generated code
                Class<?> c = Class.forName(name, false, anchor.getClassLoader());
                if (!Modifier.isPublic(c.getModifiers()) || c.isSynthetic() || c.isAnonymousClass() || c.isLocalClass()) continue;
                if (c.getEnclosingClass() != null && !(Modifier.isPublic(c.getEnclosingClass().getModifiers()) && kotlinPublic(c.getEnclosingClass()))) continue;
                if (!kotlinPublic(c)) continue;
                out.add(c);
            }
        }
        return out;
    }

    /** Kotlin `internal` classes are public in bytecode: their Kotlin visibility is read from their metadata. */
    private static boolean kotlinPublic(Class<?> c) {
        Metadata metadata = c.getAnnotation(Metadata.class);
        if (metadata == null) return true;
        KotlinClassMetadata read = KotlinClassMetadata.readLenient(metadata);
        if (!(read instanceof KotlinClassMetadata.Class)) return true; // a file facade: its members are checked one by one
        Visibility v = Attributes.getVisibility(((KotlinClassMetadata.Class) read).getKmClass());
        return v == Visibility.PUBLIC || v == Visibility.PROTECTED;
    }

    /** Kotlin `internal` members are public in bytecode under a mangled name ({@code name$module}). */
    private static boolean kotlinInternal(Executable e) {
        return e.getName().contains("$clerkkit_");
    }

    private static Set<String> classNames(Class<?> anchor) throws IOException, URISyntaxException {
        Path root = Paths.get(anchor.getProtectionDomain().getCodeSource().getLocation().toURI());
        Set<String> names = new TreeSet<>();
        if (Files.isDirectory(root)) {
            try (Stream<Path> files = Files.walk(root)) {
                files.filter(p -> p.toString().endsWith(".class"))
                    .forEach(p -> names.add(toName(root.relativize(p).toString())));
            }
        } else {
            try (ZipFile jar = new ZipFile(root.toFile())) {
                jar.stream().filter(e -> e.getName().endsWith(".class")).forEach(e -> names.add(toName(e.getName())));
            }
        }
        return names;
    }

    private static String toName(String path) {
        return path.replace('\\', '/').replace('/', '.').replaceAll("\\.class$", "");
    }

    private static List<Executable> publicMembers(Class<?> c) {
        List<Executable> out = new ArrayList<>();
        for (Method m : c.getDeclaredMethods()) {
            if ((Modifier.isPublic(m.getModifiers()) || Modifier.isProtected(m.getModifiers())) && !m.isSynthetic() && !m.isBridge()
                && !kotlinInternal(m)) {
                out.add(m);
            }
        }
        for (Constructor<?> k : c.getDeclaredConstructors()) {
            if (Modifier.isPublic(k.getModifiers()) && !k.isSynthetic()) out.add(k);
        }
        return out;
    }

    private static String describe(Executable e) {
        return e.getDeclaringClass().getName() + "." + e.getName() + Arrays.stream(e.getParameterTypes())
            .map(Class::getSimpleName).collect(Collectors.joining(", ", "(", ")"));
    }

    private static boolean mentions(Type t, String prefix) {
        return t.getTypeName().contains(prefix);
    }

    @Test
    void theScanSeesTheJavaFacingApi() throws Exception {
        Set<String> names = javaFacingClasses().stream().map(Class::getName).collect(Collectors.toSet());
        for (String expected : List.of("dev.clerkkit.java.ClerkJavaClient", "dev.clerkkit.java.SessionsAsync",
            "dev.clerkkit.sessions.Session", "dev.clerkkit.sessions.SessionListParams", "dev.clerkkit.errors.ClerkApiException",
            "dev.clerkkit.ClerkConfig$Builder", "dev.clerkkit.tokens.SessionClaims")) {
            assertTrue(names.contains(expected), "scan misses " + expected + " (found " + names.size() + " classes)");
        }
    }

    @Test
    void noKotlinIsmsInSignatures() throws Exception {
        List<String> problems = new ArrayList<>();
        for (Class<?> c : javaFacingClasses()) {
            if (KOTLIN_FIRST.contains(c.getName())) continue;
            boolean companion = c.getSimpleName().equals("Companion");
            for (Executable e : publicMembers(c)) {
                if (companion && DSL_NAMES.contains(e.getName())) continue;
                String where = describe(e);
                if (e.getName().contains("-") || (e instanceof Method && e.getName().contains("$"))) {
                    problems.add(where + ": mangled name");
                }
                for (Type p : e.getGenericParameterTypes()) {
                    if (mentions(p, "kotlin.coroutines.Continuation")) problems.add(where + ": suspend function");
                    else if (mentions(p, "kotlin.jvm.functions.")) problems.add(where + ": Kotlin function type parameter " + p.getTypeName());
                    else if (mentions(p, "kotlin.time.") || mentions(p, "kotlin.Pair")) problems.add(where + ": Kotlin type parameter " + p.getTypeName());
                }
                if (e instanceof Method) {
                    Type r = ((Method) e).getGenericReturnType();
                    if (mentions(r, "kotlin.Unit")) problems.add(where + ": returns kotlin.Unit");
                    if (mentions(r, "kotlinx.coroutines.flow.") || mentions(r, "kotlin.sequences.")) problems.add(where + ": returns " + r.getTypeName());
                    if (mentions(r, "kotlin.jvm.functions.") || mentions(r, "kotlin.time.") || mentions(r, "kotlin.Pair")) {
                        problems.add(where + ": returns " + r.getTypeName());
                    }
                }
            }
        }
        assertEquals(List.of(), problems, "Kotlin-isms visible to Java callers");
    }

    /** A companion's factories must also be static methods of the class (@JvmStatic): no `Foo.Companion.builder()`. */
    @Test
    void companionFactoriesAreStatic() throws Exception {
        List<String> problems = new ArrayList<>();
        for (Class<?> c : javaFacingClasses()) {
            if (KOTLIN_FIRST.contains(c.getName()) || !c.getSimpleName().equals("Companion")) continue;
            Class<?> outer = c.getEnclosingClass();
            for (Executable e : publicMembers(c)) {
                if (!(e instanceof Method) || DSL_NAMES.contains(e.getName()) || e.getName().equals("serializer")) continue;
                try {
                    Method twin = outer.getMethod(e.getName(), e.getParameterTypes());
                    if (!Modifier.isStatic(twin.getModifiers())) problems.add(describe(e) + ": twin is not static");
                } catch (NoSuchMethodException missing) {
                    problems.add(describe(e) + ": only reachable as " + outer.getSimpleName() + ".Companion." + e.getName());
                }
            }
            for (Field f : c.getDeclaredFields()) {
                if (Modifier.isPublic(f.getModifiers())) problems.add(c.getName() + "." + f.getName() + ": public field on Companion");
            }
        }
        assertEquals(List.of(), problems, "companion members Java can only reach through Companion");
    }
}
