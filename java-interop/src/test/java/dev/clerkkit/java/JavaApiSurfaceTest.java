package dev.clerkkit.java;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clerkkit.ClerkClient;
import kotlin.Metadata;
import kotlin.metadata.Attributes;
import kotlin.metadata.KmClass;
import kotlin.metadata.KmConstructor;
import kotlin.metadata.KmFunction;
import kotlin.metadata.KmPackage;
import kotlin.metadata.KmProperty;
import kotlin.metadata.jvm.JvmExtensionsKt;
import kotlin.metadata.jvm.JvmMethodSignature;
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
 * What a Java caller sees of clerkkit, read from the compiled classes and their Kotlin metadata. Every public
 * class of the Java facade, the models, params, errors, token claims and configuration is checked for suspend
 * functions ({@code Continuation} parameters), {@code kotlin.Unit} results, Kotlin function types, {@code Flow}s,
 * mangled names, factories reachable only through {@code Companion}, getters that return null (the convention is
 * {@code Optional}), Kotlin-internal constructors that bytecode makes public, public constants of no public
 * declaration, file classes ({@code FooKt}) with anything but public Kotlin declarations, and kotlinx.serialization or
 * Ktor types (the engine hook excepted).
 */
class JavaApiSurfaceTest {
    /**
     * Kotlin-first types. Java callers use {@link ClerkJavaClient}, {@link SessionsAsync} / {@link SessionsBlocking} and
     * {@link TokenVerifier} instead of the first four;
     * {@code Sleeper}, {@code JwksFetcher} and {@code RateBudget} (with its built-in {@code LocalRateBudget}) are suspend
     * SPIs for Kotlin code (Java callers keep the defaults: a real wait, the client's own JWKS fetch behind
     * {@code ClerkJavaClient.verifyToken}, and a local rate budget sized by {@code rateLimit}, or pass a ready-made
     * budget such as {@code RedisRateBudget}).
     */
    private static final Set<String> KOTLIN_FIRST = Set.of(
        "dev.clerkkit.ClerkClient",
        "dev.clerkkit.ClerkClient$Companion",
        "dev.clerkkit.sessions.Sessions",
        "dev.clerkkit.sessions.Sessions$Companion",
        "dev.clerkkit.sessions.Sessions$WithRawResponse",
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
                if (name.startsWith("dev.clerkkit.internal.")) continue; // @InternalClerkkitApi: not part of the API
                if (name.endsWith("$serializer")) continue; // kotlinx.serialization's generated code
                Class<?> c = Class.forName(name, false, anchor.getClassLoader());
                if (!Modifier.isPublic(c.getModifiers()) || c.isSynthetic() || c.isAnonymousClass() || c.isLocalClass()) continue;
                // a class nested in a Kotlin `internal` one (e.g. its companion) is internal too
                if (c.getEnclosingClass() != null && (!Modifier.isPublic(c.getEnclosingClass().getModifiers()) || !kotlinPublic(c.getEnclosingClass()))) continue;
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
            "dev.clerkkit.java.SessionsBlocking", "dev.clerkkit.java.ClerkBlockingClient", "dev.clerkkit.java.TokenVerifier",
            "dev.clerkkit.java.SessionsAsync$WithRawResponse", "dev.clerkkit.ClerkResponse", "dev.clerkkit.sessions.GetSessionParams",
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

    /** Kotlin metadata of a class, or null for a non-class (file facade) or a Java class. */
    private static KmClass kmClass(Class<?> c) {
        Metadata metadata = c.getAnnotation(Metadata.class);
        if (metadata == null) return null;
        KotlinClassMetadata read = KotlinClassMetadata.readLenient(metadata);
        return read instanceof KotlinClassMetadata.Class ? ((KotlinClassMetadata.Class) read).getKmClass() : null;
    }

    private static String descriptor(Class<?> t) {
        if (t == void.class) return "V";
        if (t.isPrimitive()) {
            return String.valueOf("ZBCSIJFD".charAt(List.of(boolean.class, byte.class, char.class, short.class, int.class,
                long.class, float.class, double.class).indexOf(t)));
        }
        if (t.isArray()) return t.getName().replace('.', '/');
        return "L" + t.getName().replace('.', '/') + ";";
    }

    private static String descriptor(Executable e) {
        String params = Arrays.stream(e.getParameterTypes()).map(JavaApiSurfaceTest::descriptor).collect(Collectors.joining());
        return "(" + params + ")" + (e instanceof Method ? descriptor(((Method) e).getReturnType()) : "V");
    }

    /** The visible (public or protected, not synthetic) member of [c] with this JVM signature, or null. */
    private static Executable visible(Class<?> c, JvmMethodSignature signature) {
        if (signature == null) return null;
        List<Executable> all = new ArrayList<>(Arrays.asList(c.getDeclaredMethods()));
        all.addAll(Arrays.asList(c.getDeclaredConstructors()));
        for (Executable e : all) {
            String name = e instanceof Constructor ? "<init>" : e.getName();
            if (name.equals(signature.getName()) && descriptor(e).equals(signature.getDescriptor())
                && (Modifier.isPublic(e.getModifiers()) || Modifier.isProtected(e.getModifiers())) && !e.isSynthetic()
                && !kotlinInternal(e)) {
                return e;
            }
        }
        return null;
    }

    /**
     * One convention for absent values: a Java caller reaches no method whose Kotlin return type is nullable (nullable
     * Kotlin properties are hidden from Java behind an {@code Optional} getter of the same name).
     */
    @Test
    void noGetterJavaSeesReturnsNull() throws Exception {
        List<String> problems = new ArrayList<>();
        for (Class<?> c : javaFacingClasses()) {
            if (KOTLIN_FIRST.contains(c.getName())) continue;
            KmClass km = kmClass(c);
            if (km == null) continue;
            for (KmFunction f : km.getFunctions()) {
                if (!Attributes.isNullable(f.getReturnType())) continue;
                Executable e = visible(c, JvmExtensionsKt.getSignature(f));
                if (e != null) problems.add(describe(e) + ": returns null for absent values");
            }
            for (KmProperty p : km.getProperties()) {
                if (!Attributes.isNullable(p.getReturnType())) continue;
                Executable e = visible(c, JvmExtensionsKt.getGetterSignature(p));
                if (e != null) problems.add(describe(e) + ": nullable getter");
            }
        }
        assertEquals(List.of(), problems, "Java getters returning null");
    }

    /** Kotlin `internal` (or private) constructors are public in bytecode unless the class hides them: none may reach Java. */
    @Test
    void noInternalConstructorReachesJava() throws Exception {
        List<String> problems = new ArrayList<>();
        for (Class<?> c : javaFacingClasses()) {
            KmClass km = kmClass(c);
            if (km == null) continue;
            for (KmConstructor k : km.getConstructors()) {
                Visibility v = Attributes.getVisibility(k);
                if (v == Visibility.PUBLIC || v == Visibility.PROTECTED) continue;
                Executable e = visible(c, JvmExtensionsKt.getSignature(k));
                if (e != null) problems.add(describe(e) + ": " + v.name().toLowerCase() + " in Kotlin, public in bytecode");
            }
        }
        assertEquals(List.of(), problems, "non-public constructors Java can call");
    }

    /**
     * Every public static field Java sees is a public Kotlin declaration (no {@code const val} of an internal
     * companion surfacing as a public constant), and the only types Java sees are its own and the JDK's: no
     * kotlinx.serialization, no Ktor (except the engine hook).
     */
    @Test
    void constantFieldsArePublicDeclarationsAndNoLibraryTypesLeak() throws Exception {
        List<String> problems = new ArrayList<>();
        for (Class<?> c : javaFacingClasses()) {
            KmClass km = kmClass(c);
            if (km != null) {
                Set<String> declared = new TreeSet<>();
                List<KmClass> owners = new ArrayList<>(List.of(km));
                for (Class<?> nested : c.getDeclaredClasses()) {
                    if (nested.getSimpleName().equals(km.getCompanionObject())) {
                        KmClass companion = kmClass(nested);
                        if (companion != null && Attributes.getVisibility(companion) == Visibility.PUBLIC) owners.add(companion);
                    }
                }
                for (KmClass owner : owners) {
                    for (KmProperty p : owner.getProperties()) {
                        if (Attributes.getVisibility(p) == Visibility.PUBLIC) declared.add(p.getName());
                    }
                }
                if (km.getCompanionObject() != null) declared.add(km.getCompanionObject());
                declared.add("INSTANCE");
                for (Field f : c.getDeclaredFields()) {
                    int m = f.getModifiers();
                    if (!Modifier.isPublic(m) || !Modifier.isStatic(m) || f.isSynthetic() || f.isEnumConstant()) continue;
                    if (!declared.contains(f.getName())) problems.add(c.getName() + "." + f.getName() + ": public static field of no public declaration");
                }
            }
            if (KOTLIN_FIRST.contains(c.getName())) continue;
            for (Executable e : publicMembers(c)) {
                List<Type> types = new ArrayList<>(Arrays.asList(e.getGenericParameterTypes()));
                if (e instanceof Method) types.add(((Method) e).getGenericReturnType());
                for (Type t : types) {
                    if (mentions(t, "kotlinx.serialization.")) problems.add(describe(e) + ": kotlinx.serialization type " + t.getTypeName());
                    if (mentions(t, "io.ktor.") && !ENGINE_HOOK.contains(e.getName())) problems.add(describe(e) + ": Ktor type " + t.getTypeName());
                }
            }
        }
        assertEquals(List.of(), problems, "constants and library types Java sees");
    }

    /** The one place a Ktor type is part of the API: an engine of the caller's choice (ClerkConfig.engine). */
    private static final Set<String> ENGINE_HOOK = Set.of("engine", "getEngine");

    /**
     * The suspend-only SPIs ({@code Sleeper}, {@code JwksFetcher}, {@code RateBudget}) are Kotlin's to implement: no
     * Java-facing method takes or returns one, except {@code rateBudget}, which takes a ready-made budget (e.g.
     * {@code RedisRateBudget.create(...)}) that Java code passes along and never implements.
     */
    @Test
    void noSuspendOnlySpiOnJavaFacingSignatures() throws Exception {
        Set<String> spis = Set.of("dev.clerkkit.Sleeper", "dev.clerkkit.tokens.JwksFetcher", "dev.clerkkit.ratelimit.RateBudget");
        List<String> problems = new ArrayList<>();
        for (Class<?> c : javaFacingClasses()) {
            if (KOTLIN_FIRST.contains(c.getName())) continue;
            for (Executable e : publicMembers(c)) {
                if (e.getName().equals("rateBudget") || e.getName().equals("getRateBudget")) continue;
                List<Type> types = new ArrayList<>(Arrays.asList(e.getGenericParameterTypes()));
                if (e instanceof Method) types.add(((Method) e).getGenericReturnType());
                for (Type t : types) {
                    for (String spi : spis) if (t.getTypeName().equals(spi)) problems.add(describe(e) + ": " + spi);
                }
            }
        }
        assertEquals(List.of(), problems, "suspend-only SPIs Java would have to implement");
    }

    /** A {@code Companion} Java sees has something for it: every public companion has a public member (twinned as static). */
    @Test
    void noEmptyCompanionReachesJava() throws Exception {
        List<String> problems = new ArrayList<>();
        for (Class<?> c : javaFacingClasses()) {
            if (!c.getSimpleName().equals("Companion")) continue;
            if (publicMembers(c).isEmpty() && Arrays.stream(c.getEnclosingClass().getDeclaredFields())
                .noneMatch(f -> Modifier.isStatic(f.getModifiers()) && Modifier.isPublic(f.getModifiers()) && !f.getName().equals("Companion"))) {
                problems.add(c.getName() + ": a public Companion with nothing for callers");
            }
        }
        assertEquals(List.of(), problems, "empty companions");
    }

    /**
     * A Kotlin file facade ({@code FooKt}) Java sees carries public Kotlin declarations only. Top-level {@code private}
     * or {@code @JvmSynthetic} declarations would leave Java an empty public class, and top-level {@code internal}
     * functions and constants are public static members in bytecode, under their own names; clerkkit keeps such
     * helpers in companions and internal objects instead.
     */
    @Test
    void fileFacadesCarryOnlyPublicDeclarations() throws Exception {
        List<String> problems = new ArrayList<>();
        for (Class<?> c : javaFacingClasses()) {
            Metadata metadata = c.getAnnotation(Metadata.class);
            if (metadata == null) continue;
            KotlinClassMetadata read = KotlinClassMetadata.readLenient(metadata);
            if (!(read instanceof KotlinClassMetadata.FileFacade)) continue;
            KmPackage pkg = ((KotlinClassMetadata.FileFacade) read).getKmPackage();
            Set<String> declared = new TreeSet<>();
            for (KmFunction f : pkg.getFunctions()) {
                JvmMethodSignature sig = JvmExtensionsKt.getSignature(f);
                if (Attributes.getVisibility(f) == Visibility.PUBLIC && sig != null) declared.add(sig.getName() + sig.getDescriptor());
            }
            Set<String> publicProperties = new TreeSet<>();
            for (KmProperty p : pkg.getProperties()) {
                if (Attributes.getVisibility(p) != Visibility.PUBLIC) continue;
                publicProperties.add(p.getName());
                JvmMethodSignature getter = JvmExtensionsKt.getGetterSignature(p);
                if (getter != null) declared.add(getter.getName() + getter.getDescriptor());
            }
            List<Executable> members = publicMembers(c);
            for (Executable e : members) {
                if (!declared.contains(e.getName() + descriptor(e))) problems.add(describe(e) + ": not a public Kotlin declaration");
            }
            for (Field f : c.getDeclaredFields()) {
                if (Modifier.isPublic(f.getModifiers()) && !f.isSynthetic() && !publicProperties.contains(f.getName())) {
                    problems.add(c.getName() + "." + f.getName() + ": not a public Kotlin declaration");
                }
            }
            if (members.isEmpty() && publicProperties.isEmpty()) problems.add(c.getName() + ": a public class with nothing Java can call");
        }
        assertEquals(List.of(), problems, "file facades");
    }

    /** The Java twins carry every operation of the Kotlin {@code Sessions} (and its raw-response view) by name. */
    @Test
    void theJavaTwinsCarryEveryOperation() {
        Set<String> ops = Arrays.stream(dev.clerkkit.sessions.Sessions.class.getDeclaredMethods())
            .filter(m -> !m.isSynthetic() && !m.getName().contains("$")).map(Method::getName).collect(Collectors.toCollection(TreeSet::new));
        Set<String> raw = Arrays.stream(dev.clerkkit.sessions.Sessions.WithRawResponse.class.getDeclaredMethods())
            .filter(m -> !m.isSynthetic() && !m.getName().contains("$") && !m.getName().equals("verify")) // verify: deprecated, no raw twin in Java
            .map(Method::getName).collect(Collectors.toCollection(TreeSet::new));
        for (Class<?> twin : List.of(SessionsAsync.class, SessionsBlocking.class)) {
            Set<String> names = Arrays.stream(twin.getMethods()).map(Method::getName).collect(Collectors.toSet());
            assertEquals(Set.of(), ops.stream().filter(n -> !names.contains(n)).collect(Collectors.toSet()), twin.getSimpleName());
        }
        for (Class<?> twin : List.of(SessionsAsync.WithRawResponse.class, SessionsBlocking.WithRawResponse.class)) {
            Set<String> names = Arrays.stream(twin.getMethods()).map(Method::getName).collect(Collectors.toSet());
            assertEquals(Set.of(), raw.stream().filter(n -> !names.contains(n)).collect(Collectors.toSet()), twin.getSimpleName());
        }
    }
}
