package dev.clerkkit.http

import dev.clerkkit.sessions.Sessions
import dev.clerkkit.testkit.Route
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldBeEmpty
import io.kotest.matchers.collections.shouldContainExactlyInAnyOrder
import io.kotest.matchers.shouldBe

/** The operation table is the one description of what clerkkit calls: the sandbox and the public surface agree with it. */
class OperationsSpec : FunSpec({
    test("the testkit sandbox serves exactly the routes of the table") {
        Operations.ALL.map { it.method to it.pathTemplate }.toSet() shouldContainExactlyInAnyOrder
            Route.entries.filter { it != Route.UNKNOWN }.map { it.method to it.template }
    }

    test("every Sessions operation is a method of Sessions and of Sessions.WithRawResponse") {
        val names = Operations.ALL.map { it.name }.filter { it.startsWith("sessions.") }.map { it.removePrefix("sessions.") }.toSet()
        val plain = Sessions::class.java.methods.map { it.name }.toSet()
        val raw = Sessions.WithRawResponse::class.java.methods.map { it.name }.toSet()
        names.filterNot { it in plain }.shouldBeEmpty()
        names.filterNot { it in raw }.shouldBeEmpty()
    }

    test("replay safety and rate exemption are properties of the operation") {
        Operations.ALL.filter { it.replay == Replay.UNSAFE }.map { it.name } shouldBe listOf("sessions.create")
        Operations.ALL.filterNot { it.rateLimited }.map { it.name } shouldBe listOf("jwks.get")
    }
})
