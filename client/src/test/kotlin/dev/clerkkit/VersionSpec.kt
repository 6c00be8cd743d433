package dev.clerkkit

import dev.clerkkit.internal.ClerkkitVersion
import dev.clerkkit.testkit.ClerkSandbox
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import io.kotest.matchers.shouldNotBe
import io.kotest.matchers.string.shouldNotBeBlank

/** The version the build filters into clerkkit.properties, and the User-Agent that carries it. */
class VersionSpec : FunSpec({
    /** The POM's project.version, passed by the parent pom's Surefire configuration. */
    val pomVersion = System.getProperty("clerkkit.project.version")

    test("the version read from the jar is the POM's") {
        pomVersion.shouldNotBeBlank()
        ClerkkitVersion.VERSION shouldNotBe ClerkkitVersion.UNKNOWN
        ClerkkitVersion.VERSION shouldBe pomVersion
    }

    test("the default User-Agent carries it") {
        ClerkConfig.DEFAULT_USER_AGENT shouldBe "clerkkit-kotlin/$pomVersion"
        ClerkConfig.builder().secretKey(TEST_SECRET).build().userAgent shouldBe "clerkkit-kotlin/$pomVersion"
    }

    test("requests send it: MockEngine") {
        val rec = Recorder()
        mockClient(rec) { json(sessionJson()) }.use { it.sessions.get("sess_1") }
        rec.requests.single().header("User-Agent") shouldBe "clerkkit-kotlin/$pomVersion"
    }

    test("requests send it: the testkit sandbox over the default engine") {
        ClerkSandbox.start().use { sandbox ->
            val user = sandbox.addUser()
            ClerkClient { secretKey = sandbox.secretKey; baseUrl = sandbox.baseUrl }.use { it.sessions.create(user) }
            sandbox.requests.last().header("User-Agent") shouldBe "clerkkit-kotlin/$pomVersion"
        }
    }
})
