package dev.clerkkit.java;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clerkkit.sessions.Session;
import dev.clerkkit.testkit.ClerkSandbox;
import io.ktor.client.engine.HttpClientEngine;
import io.ktor.client.engine.okhttp.OkHttp;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import kotlin.Unit;
import okhttp3.ConnectionPool;
import okhttp3.Dispatcher;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The Java builder with an injected OkHttp engine, built exactly as docs/engines.md shows, over real sockets. */
class OkHttpEngineTest {
    private ClerkSandbox sandbox;
    private HttpClientEngine engine;
    private ClerkJavaClient clerk;

    @BeforeEach
    void start() {
        sandbox = ClerkSandbox.start();
        Dispatcher dispatcher = new Dispatcher();
        dispatcher.setMaxRequests(256);
        dispatcher.setMaxRequestsPerHost(256);
        engine = OkHttp.INSTANCE.create(okhttp -> {
            okhttp.config(builder -> {
                builder.retryOnConnectionFailure(false);
                builder.dispatcher(dispatcher);
                builder.connectionPool(new ConnectionPool(256, 20, TimeUnit.SECONDS));
                return Unit.INSTANCE;
            });
            return Unit.INSTANCE;
        });
        clerk = ClerkJavaClient.builder()
                
                .secretKey(sandbox.getSecretKey())
                .baseUrl(sandbox.getBaseUrl())
                .engine(engine)
                .maxAttempts(1)
                .build();
    }

    @AfterEach
    void stop() throws Exception {
        clerk.close();
        engine.close(); // the client does not close an injected engine
        sandbox.close();
    }

    @Test
    void postsAndGetsShareKeptAliveConnections() throws Exception {
        String user = sandbox.addUser();
        long before = sandbox.getStats().getConnectionsAccepted();
        for (int i = 0; i < 50; i++) {
            Session created = clerk.sessions().create(user).get(10, TimeUnit.SECONDS);
            assertEquals(created.getId(), clerk.sessions().get(created.getId()).get(10, TimeUnit.SECONDS).getId());
            assertEquals("revoked", clerk.sessions().revoke(created.getId()).get(10, TimeUnit.SECONDS).getStatus().getValue());
        }
        // 150 calls, a third of them POSTs with bodies, one after another: one connection (CIO would open 100)
        assertEquals(1, sandbox.getStats().getConnectionsAccepted() - before);
    }

    @Test
    void concurrentCreatesAllArriveOnce() throws Exception {
        String user = sandbox.addUser();
        List<CompletableFuture<Session>> futures = new ArrayList<>();
        for (int i = 0; i < 200; i++) futures.add(clerk.sessions().create(dev.clerkkit.sessions.CreateSessionParams.builder().userId(user).activeOrganizationId("org_" + i).build()));
        CompletableFuture.allOf(futures.toArray(new CompletableFuture[0])).get(30, TimeUnit.SECONDS);
        assertEquals(200, clerk.sessions().list(dev.clerkkit.sessions.SessionListParams.builder().userId(user).limit(500).build())
                .get(10, TimeUnit.SECONDS).size());
        assertTrue(sandbox.getStats().getConnectionsAccepted() <= 200);
    }
}
