package dev.clerkkit.sessions

import dev.clerkkit.errors.ClerkResponseException
import dev.clerkkit.json
import dev.clerkkit.mockClient
import dev.clerkkit.sessionJson
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldBeEmpty
import io.kotest.matchers.maps.shouldBeEmpty
import io.kotest.matchers.nulls.shouldBeNull
import io.kotest.matchers.shouldBe
import io.kotest.matchers.shouldNotBe
import io.kotest.matchers.string.shouldContain
import io.kotest.matchers.string.shouldNotContain
import io.kotest.matchers.types.shouldBeInstanceOf
import java.math.BigDecimal
import java.time.Instant

private const val JWT = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ1c2VyXzEiLCJzaWQiOiJzZXNzXzEifQ.c2lnbmF0dXJlLXNlY3JldA"

/** A session with only the required fields, as a user builds one in their own tests. */
private fun minimal(): Session.Builder = Session.builder()
    .id("sess_1").userId("user_1").clientId("client_1").status(SessionStatus.ACTIVE)
    .lastActiveAt(1700000000000).expireAt(1700600000000).abandonAt(1702600000000)
    .updatedAt(1700000000001).createdAt(1700000000000)

/** The public models: builders, value semantics, unknown fields, and strict decoding of known ones. */
class ModelsSpec : FunSpec({

    context("builders") {
        test("a Session needs only its required fields; everything else has its documented default") {
            val s = minimal().build()
            s.objectType shouldBe "session"
            s.id shouldBe "sess_1"
            s.status shouldBe SessionStatus.ACTIVE
            s.actor.shouldBeNull()
            s.lastActiveOrganizationId.shouldBeNull()
            s.latestActivity.shouldBeNull()
            s.tasks.shouldBeNull()
            s.additionalProperties().shouldBeEmpty()
            s.actorOptional().isPresent shouldBe false
            s.tasksOptional().isPresent shouldBe false
            s.expireAtInstant() shouldBe Instant.ofEpochMilli(1700600000000)
            s.abandonAtInstant() shouldBe Instant.ofEpochMilli(1702600000000)
            s.updatedAtInstant() shouldBe Instant.ofEpochMilli(1700000000001)
        }
        test("each missing required field is named") {
            val required = mapOf<String, (Session.Builder) -> Unit>(
                "id" to { it.id = null }, "userId" to { it.userId = null }, "clientId" to { it.clientId = null },
                "status" to { it.status = null }, "lastActiveAt" to { it.lastActiveAt = null },
                "expireAt" to { it.expireAt = null }, "abandonAt" to { it.abandonAt = null },
                "updatedAt" to { it.updatedAt = null }, "createdAt" to { it.createdAt = null },
            )
            for ((field, unset) in required) {
                val b = minimal().also(unset)
                shouldThrow<IllegalStateException> { b.build() }.message shouldBe
                    "Session.$field is required (set it on Session.Builder before build())"
            }
            shouldThrow<IllegalStateException> { SessionActivity.builder().id("sa_1").build() }.message shouldContain "SessionActivity.isMobile"
            shouldThrow<IllegalStateException> { SessionActivity.builder().isMobile(true).build() }.message shouldContain "SessionActivity.id"
            shouldThrow<IllegalStateException> { SessionTask.builder().build() }.message shouldContain "SessionTask.key"
            shouldThrow<IllegalStateException> { SessionToken.builder().build() }.message shouldContain "SessionToken.jwt"
            shouldThrow<IllegalStateException> { SessionRefresh.Token.builder().build() }.message shouldContain "SessionRefresh.Token.jwt"
            shouldThrow<IllegalStateException> { SessionRefresh.Cookies.builder().build() }.message shouldContain "SessionRefresh.Cookies.cookies"
            shouldThrow<IllegalStateException> { SessionPage.builder().totalCount(0).build() }.message shouldContain "SessionPage.data"
            shouldThrow<IllegalStateException> { SessionPage.builder().data(emptyList()).build() }.message shouldContain "SessionPage.totalCount"
            shouldThrow<IllegalArgumentException> { SessionPage.builder().totalCount(-1) }.message shouldContain "totalCount"
        }
        test("toBuilder round-trips every field, and a changed copy leaves the original alone") {
            val full = minimal()
                .actor(mapOf("sub" to "user_admin")).lastActiveOrganizationId("org_1")
                .latestActivity(SessionActivity.builder().id("sa_1").isMobile(false).city("Athens").build())
                .tasks(listOf(SessionTask.builder().key("choose-organization").build()))
                .putAdditionalProperty("future", 1)
                .build()
            full.toBuilder().build() shouldBe full
            val revoked = full.toBuilder().status(SessionStatus.REVOKED).build()
            revoked.status shouldBe SessionStatus.REVOKED
            full.status shouldBe SessionStatus.ACTIVE
            revoked shouldNotBe full
            SessionToken.builder().jwt(JWT).build().let { it.toBuilder().build() shouldBe it }
            SessionRefresh.Cookies.builder().cookies(listOf("a=b")).build().let { it.toBuilder().build() shouldBe it }
            SessionPage.builder().data(listOf(full)).totalCount(3).build().let { it.toBuilder().build() shouldBe it }
        }
        test("collections are copied and unmodifiable") {
            val tasks = mutableListOf(SessionTask.builder().key("a").build())
            val actor = mutableMapOf<String, Any?>("sub" to "user_admin", "nested" to mutableListOf(1))
            val s = minimal().tasks(tasks).actor(actor).putAdditionalProperty("m", mutableMapOf("k" to "v")).build()
            tasks += SessionTask.builder().key("b").build()
            actor["sub"] = "someone else"
            s.tasks!!.map { it.key } shouldBe listOf("a")
            s.actor!!["sub"] shouldBe "user_admin"
            shouldThrow<UnsupportedOperationException> { (s.tasks as MutableList<SessionTask>).clear() }
            shouldThrow<UnsupportedOperationException> { (s.actor as MutableMap<String, Any?>).clear() }
            shouldThrow<UnsupportedOperationException> { (s.actor!!["nested"] as MutableList<Any?>).clear() }
            shouldThrow<UnsupportedOperationException> { (s.additionalProperties() as MutableMap<String, Any?>).clear() }
            shouldThrow<UnsupportedOperationException> { (s.additionalProperties()["m"] as MutableMap<String, Any?>).clear() }
        }
        test("plain values are normalized, so a built model equals a decoded one") {
            val built = minimal().actor(mapOf("n" to 1, "f" to 1.5, "list" to listOf(1, "x", null))).build()
            built.actor shouldBe mapOf("n" to 1L, "f" to BigDecimal("1.5"), "list" to listOf(1L, "x", null))
            val decoded = SessionJson.decodeSession(sessionJson().replace("\"actor\":null", """"actor":{"n":1,"f":1.5,"list":[1,"x",null]}"""))
            decoded shouldBe built
            shouldThrow<IllegalArgumentException> { minimal().putAdditionalProperty("x", Any()) }
            shouldThrow<IllegalArgumentException> { minimal().actor(mapOf("when" to Instant.EPOCH)) }
        }
    }

    context("equals, hashCode, toString") {
        test("equal by value, every field included") {
            minimal().build() shouldBe minimal().build()
            minimal().build().hashCode() shouldBe minimal().build().hashCode()
            minimal().build() shouldNotBe minimal().createdAt(2).build()
            minimal().build() shouldNotBe minimal().tasks(emptyList()).build() // absent is not empty
            minimal().build() shouldNotBe minimal().putAdditionalProperty("x", null).build()
            minimal().putAdditionalProperty("x", 1).build() shouldNotBe minimal().putAdditionalProperty("x", 2).build()
            SessionTask.builder().key("a").build() shouldBe SessionTask.builder().key("a").build()
            SessionRefresh.Token.builder().jwt("a").build() shouldNotBe SessionRefresh.Token.builder().jwt("b").build()
        }
        test("toString shows the session's fields and unknown ones") {
            val s = minimal().putAdditionalProperty("future_field", "v").build().toString()
            s shouldContain "id=sess_1"
            s shouldContain "status=active"
            s shouldContain "additionalProperties={future_field=v}"
            minimal().build().toString() shouldNotContain "additionalProperties"
        }
        test("no JWT or cookie in any toString, only lengths, counts and unknown field names") {
            val token = SessionToken.builder().jwt(JWT).putAdditionalProperty("extra", "secret-value").build()
            token.toString() shouldBe "SessionToken{jwt=<${JWT.length} chars>, additionalProperties=[extra]}"
            val refreshed = SessionRefresh.Token.builder().jwt(JWT).build()
            refreshed.toString() shouldBe "SessionRefresh.Token{jwt=<${JWT.length} chars>}"
            val cookies = SessionRefresh.Cookies.builder().cookies(listOf("__session=$JWT; Path=/", "__client_uat=1")).build()
            cookies.toString() shouldBe "SessionRefresh.Cookies{2 cookies}"
            for (text in listOf(token.toString(), refreshed.toString(), cookies.toString())) {
                text shouldNotContain JWT.take(10)
                text shouldNotContain "secret-value"
            }
        }
    }

    context("unknown fields") {
        test("round-trip into additionalProperties as plain values: nested objects, arrays, numbers, null") {
            val extra = ""","obj":{"a":{"b":[1,2.5,"s",true,null]}},"arr":[{"k":"v"},[]],"big":12345678901234567890,""" +
                """"neg":-7,"exp":1e3,"flag":false,"nothing":null"""
            val s = SessionJson.decodeSession(sessionJson(extra = extra))
            s.additionalProperties() shouldBe mapOf(
                "obj" to mapOf("a" to mapOf("b" to listOf(1L, BigDecimal("2.5"), "s", true, null))),
                "arr" to listOf(mapOf("k" to "v"), emptyList<Any?>()),
                "big" to BigDecimal("12345678901234567890"),
                "neg" to -7L,
                "exp" to 1000L, // an integral number in exponent form is still an integer
                "flag" to false,
                "nothing" to null,
            )
            s.additionalProperties().keys.toList() shouldBe listOf("obj", "arr", "big", "neg", "exp", "flag", "nothing")
            s.additionalProperties().containsKey("nothing") shouldBe true
            // known fields never land there
            s.additionalProperties().keys.intersect(setOf("id", "status", "object", "actor")).shouldBeEmpty()
        }
        test("are kept on every nested model, on tokens and on refresh results") {
            val activity = """{"object":"session_activity","id":"sa_1","is_mobile":true,"os":"Plan 9"}"""
            val s = SessionJson.decodeSession(
                sessionJson(extra = ""","tasks":[{"key":"choose-organization","due":1}]""")
                    .replace("\"latest_activity\":null", "\"latest_activity\":$activity"),
            )
            s.latestActivity!!.additionalProperties() shouldBe mapOf("os" to "Plan 9")
            s.latestActivity!!.isMobile shouldBe true
            s.tasks!!.single().additionalProperties() shouldBe mapOf("due" to 1L)
            SessionJson.decodeToken("""{"object":"token","jwt":"a.b.c","ttl":60}""").additionalProperties() shouldBe mapOf("ttl" to 60L)
            (SessionJson.decodeRefresh("""{"object":"token","jwt":"a.b.c","x":[1]}""") as SessionRefresh.Token)
                .additionalProperties() shouldBe mapOf("x" to listOf(1L))
            (SessionJson.decodeRefresh("""{"object":"cookies","cookies":["a=b"],"x":{}}""") as SessionRefresh.Cookies)
                .additionalProperties() shouldBe mapOf("x" to emptyMap<String, Any?>())
        }
        test("a list keeps them per session, in both shapes") {
            val one = sessionJson("sess_1", extra = ""","f":1""")
            val two = sessionJson("sess_2")
            val bare = SessionJson.decodeList("[$one,$two]")
            bare.totalCount shouldBe 2
            bare.data.map { it.additionalProperties() } shouldBe listOf(mapOf("f" to 1L), emptyMap())
            val paged = SessionJson.decodeList("""{"data":[$one,$two],"total_count":9,"has_more":true}""")
            paged.totalCount shouldBe 9
            paged.data shouldBe bare.data
            SessionJson.decodeList("""{"data":[]}""").totalCount shouldBe 0
        }
    }

    context("known fields") {
        test("an unknown status is kept") {
            val s = SessionJson.decodeSession(sessionJson(status = "hibernating"))
            s.status.value shouldBe "hibernating"
            s.status.isKnown shouldBe false
            s.status shouldBe SessionStatus.of("hibernating")
            SessionJson.decodeSession(sessionJson(status = "pending")).status shouldBe SessionStatus.PENDING
        }
        test("actor is a plain map") {
            val s = SessionJson.decodeSession(sessionJson().replace("\"actor\":null", """"actor":{"sub":"user_admin","iat":1,"meta":{"k":["v"]}}"""))
            s.actor shouldBe mapOf("sub" to "user_admin", "iat" to 1L, "meta" to mapOf("k" to listOf("v")))
            s.actorOptional().get()["sub"] shouldBe "user_admin"
        }
        test("tasks: absent and null are absent; an empty array is present and empty") {
            SessionJson.decodeSession(sessionJson()).tasks.shouldBeNull()
            SessionJson.decodeSession(sessionJson(extra = ""","tasks":null""")).tasksOptional().isPresent shouldBe false
            val empty = SessionJson.decodeSession(sessionJson(extra = ""","tasks":[]"""))
            empty.tasks shouldBe emptyList()
            empty.tasksOptional().get().shouldBeEmpty()
        }
        test("a missing object reads as its only value; a present one is kept") {
            SessionJson.decodeSession(sessionJson().replace("\"object\":\"session\",", "")).objectType shouldBe "session"
            SessionJson.decodeToken("""{"jwt":"a.b.c"}""").objectType shouldBe "token"
        }
        test("a wrong type or a missing required field fails, naming the field") {
            fun fails(body: String, fragment: String) {
                shouldThrow<IllegalArgumentException> { SessionJson.decodeSession(body) }.message shouldContain fragment
            }
            fails(sessionJson().replace("\"user_id\":\"user_1\"", "\"user_id\":1"), "Session.user_id: expected a string, was a number")
            fails(sessionJson().replace("\"last_active_at\":1700000000000", "\"last_active_at\":\"1700000000000\""), "Session.last_active_at: expected an integer, was a string")
            fails(sessionJson().replace("\"expire_at\":1700600000000", "\"expire_at\":1.5"), "Session.expire_at: expected an integer")
            fails(sessionJson().replace("\"created_at\":1700000000000", "\"created_at\":null"), "Session.created_at: required field is missing or null")
            fails(sessionJson().replace(",\"client_id\":\"client_1\"", ""), "Session.client_id: required field is missing or null")
            fails(sessionJson().replace("\"actor\":null", "\"actor\":[]"), "Session.actor: expected an object, was an array")
            fails(sessionJson(extra = ""","tasks":{}"""), "Session.tasks: expected an array, was an object")
            fails(sessionJson(extra = ""","tasks":[{"key":3}]"""), "SessionTask.key: expected a string")
            fails(sessionJson(extra = ""","tasks":["x"]"""), "Session.tasks[0]: expected a SessionTask object")
            fails(
                sessionJson().replace("\"latest_activity\":null", """"latest_activity":{"object":"session_activity","id":"sa_1","is_mobile":"yes"}"""),
                "SessionActivity.is_mobile: expected a boolean, was a string",
            )
            fails("[]", "expected a Session object, was an array")
            shouldThrow<IllegalArgumentException> { SessionJson.decodeList("""{"data":{}}""") }.message shouldContain "SessionPage.data"
            shouldThrow<IllegalArgumentException> { SessionJson.decodeList("""{"data":[],"total_count":"9"}""") }.message shouldContain "SessionPage.total_count"
            shouldThrow<IllegalArgumentException> { SessionJson.decodeList("[1]") }.message shouldContain "list[0]"
            shouldThrow<IllegalArgumentException> { SessionJson.decodeToken("""{"object":"token","jwt":null}""") }.message shouldContain "SessionToken.jwt"
            shouldThrow<IllegalArgumentException> { SessionJson.decodeRefresh("""{"object":"cookies","cookies":[1]}""") }.message shouldContain "SessionRefresh.Cookies.cookies"
        }
        test("through the client, a wrong-typed field is a ClerkResponseException that keeps the body") {
            val body = sessionJson().replace("\"status\":\"active\"", "\"status\":7")
            val e = shouldThrow<ClerkResponseException> { mockClient { json(body) }.use { it.sessions.get("sess_1") } }
            e.statusCode shouldBe 200
            e.body shouldBe body
            e.message shouldContain "Session.status: expected a string, was a number"
            e.cause.shouldBeInstanceOf<IllegalArgumentException>()
        }
    }

    context("SessionPage.nextOffset") {
        val three = List(3) { minimal().id("sess_$it").build() }
        test("the next offset while pages are full and the total is not reached, else none") {
            SessionPage.builder().data(three).totalCount(10).build().nextOffset(0, 3) shouldBe 3
            SessionPage.builder().data(three).totalCount(6).build().nextOffset(3, 3).shouldBeNull()
            SessionPage.builder().data(three).totalCount(10).build().nextOffset(0, 4).shouldBeNull()
            SessionPage.builder().data(three).totalCount(10).build().nextOffsetOptional(6, 3).get() shouldBe 9
            SessionPage.builder().data(three).totalCount(9).build().nextOffsetOptional(6, 3).isPresent shouldBe false
        }
    }
})
