package dev.clerkkit.bench;

import com.clerk.backend_api.models.components.Session;
import com.clerk.backend_api.utils.Utils;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Decode of one 500-session list page. The JSON comes from the testkit sandbox (spec-valid, with latest_activity).
 * Run through {@link Main} (phase "decode") or the JMH runner: {@code java -cp ... org.openjdk.jmh.Main DecodeBench}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class DecodeBench {
    private static final TypeReference<List<Session>> SDK_LIST = new TypeReference<List<Session>>() {};

    String array;
    String page;
    ObjectMapper mapper;

    @Setup
    public void setup() throws Exception {
        array = Fixtures.sessionListJson(500);
        page = Fixtures.sessionPageJson(500);
        mapper = Utils.mapper();
        // Fail fast if a decoder rejects the fixture.
        if (Fixtures.decodeListInternal(array).getData().size() != 500) throw new IllegalStateException("ours (array)");
        if (Fixtures.decodeListInternal(page).getData().size() != 500) throw new IllegalStateException("ours (page)");
        if (Fixtures.decodeListDirect(array).size() != 500) throw new IllegalStateException("direct");
        List<Session> sdk = mapper.readValue(array, SDK_LIST);
        if (sdk.size() != 500) throw new IllegalStateException("sdk");
    }

    /** clerkkit's internal SessionJson.decodeList on the bare array (what sessions.list does). */
    @Benchmark
    public Object oursDecodeListArray() {
        return Fixtures.decodeListInternal(array);
    }

    /** clerkkit's internal SessionJson.decodeList on {"data":[...],"total_count"} (what sessions.listPage does). */
    @Benchmark
    public Object oursDecodeListPage() {
        return Fixtures.decodeListInternal(page);
    }

    /**
     * The ceiling: kotlinx's generated serializer for the same shape (Fixtures.KotlinxSession, unknown fields dropped),
     * streaming from the string (no JsonElement tree).
     */
    @Benchmark
    public Object oursDirectSerializerArray() {
        return Fixtures.decodeListDirect(array);
    }

    /** Clerk's official SDK: its Jackson ObjectMapper (Utils.mapper()) into List<components.Session>. */
    @Benchmark
    public Object sdkJacksonArray() throws Exception {
        return mapper.readValue(array, SDK_LIST);
    }
}
