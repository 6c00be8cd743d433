package dev.clerkkit

import dev.clerkkit.sessions.CreateSessionParams
import dev.clerkkit.sessions.CreateTokenFromTemplateParams
import dev.clerkkit.sessions.CreateTokenParams
import dev.clerkkit.sessions.RefreshFormat
import dev.clerkkit.sessions.RefreshSessionParams
import dev.clerkkit.sessions.SessionListParams
import dev.clerkkit.sessions.SessionRefresh
import dev.clerkkit.sessions.SessionStatus
import dev.clerkkit.sessions.VerifySessionParams
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldHaveSize
import io.kotest.matchers.nulls.shouldBeNull
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import io.kotest.matchers.types.shouldBeInstanceOf
import kotlinx.coroutines.flow.toList
import kotlinx.serialization.json.Json
import kotlinx.serialization.json.JsonObject

/** For each operation: the exact request sent (MockEngine) and decoding of spec-shaped responses. */
class SessionsRequestSpec : FunSpec({
    fun parse(s: String?) = Json.parseToJsonElement(s!!) as JsonObject

    context("every request") {
        test("carries auth, API version, user agent and accepts JSON") {
            val rec = Recorder()
            mockClient(rec) { json(sessionJson()) }.use { it.sessions.get("sess_1") }
            val sent = rec.requests.single()
            sent.header("Authorization") shouldBe "Bearer $TEST_SECRET"
            sent.header("Clerk-API-Version") shouldBe ClerkConfig.DEFAULT_API_VERSION
            sent.header("User-Agent") shouldBe ClerkConfig.DEFAULT_USER_AGENT
            sent.header("Accept") shouldBe "application/json"
            sent.data.url.toString() shouldBe "https://api.clerk.com/v1/sessions/sess_1"
        }
        test("per-call headers and an overridden API version are sent") {
            val rec = Recorder()
            mockClient(rec, { apiVersion = "2024-10-01" }) { json(sessionJson()) }.use {
                it.sessions.get("sess_1", RequestOptions { header("X-Request-Id", "r1") })
            }
            rec.requests.single().header("X-Request-Id") shouldBe "r1"
            rec.requests.single().header("Clerk-API-Version") shouldBe "2024-10-01"
        }
    }

    context("list") {
        test("sends every filter as query parameters and decodes a bare array") {
            val rec = Recorder()
            val result = mockClient(rec) { json("[${sessionJson("sess_1")},${sessionJson("sess_2", "revoked")}]") }.use {
                it.sessions.list(SessionListParams { userId = "user_1"; clientId = "client_1"; status = SessionStatus.ACTIVE; limit = 20; offset = 40 })
            }
            val sent = rec.requests.single()
            sent.method shouldBe "GET"
            sent.encodedPath shouldBe "/v1/sessions"
            sent.query shouldBe "client_id=client_1&user_id=user_1&status=active&limit=20&offset=40"
            sent.body.shouldBeNull()
            result.map { it.id } shouldBe listOf("sess_1", "sess_2")
            result[1].status shouldBe SessionStatus.REVOKED
        }
        test("without filters sends no query") {
            val rec = Recorder()
            mockClient(rec) { json("[]") }.use { it.sessions.list() } shouldHaveSize 0
            rec.requests.single().query shouldBe ""
        }
        test("encodes query values") {
            val rec = Recorder()
            mockClient(rec) { json("[]") }.use { it.sessions.list(SessionListParams { userId = "user a&b=c" }) }
            rec.requests.single().query shouldBe "user_id=user%20a%26b%3Dc"
        }
        test("listPage sends paginated=true and decodes {data,total_count}") {
            val rec = Recorder()
            val page = mockClient(rec) { json("""{"data":[${sessionJson()}],"total_count":41}""") }.use {
                it.sessions.listPage(SessionListParams { userId = "user_1"; limit = 1 })
            }
            rec.requests.single().query shouldBe "user_id=user_1&paginated=true&limit=1"
            page.totalCount shouldBe 41
            page.data.single().id shouldBe "sess_1"
        }
        test("list accepts the paginated shape too, listPage the bare array") {
            mockClient { json("""{"data":[${sessionJson()}],"total_count":1}""") }.use { it.sessions.list() }.single().id shouldBe "sess_1"
            mockClient { json("[${sessionJson()}]") }.use { it.sessions.listPage() }.totalCount shouldBe 1
        }
        test("listAll pages lazily until total_count is reached") {
            val rec = Recorder()
            val all = (1..5).map { sessionJson("sess_$it") }
            val client = mockClient(rec) { req ->
                val offset = req.url.parameters["offset"]!!.toInt()
                val limit = req.url.parameters["limit"]!!.toInt()
                json("""{"data":[${all.drop(offset).take(limit).joinToString(",")}],"total_count":5}""")
            }
            client.use { it.sessions.listAll(SessionListParams { userId = "user_1"; limit = 2 }).toList() }
                .map { it.id } shouldBe (1..5).map { "sess_$it" }
            rec.requests.map { it.query } shouldBe listOf(
                "user_id=user_1&paginated=true&limit=2&offset=0",
                "user_id=user_1&paginated=true&limit=2&offset=2",
                "user_id=user_1&paginated=true&limit=2&offset=4",
            )
        }
        test("listAll stops on an empty page") {
            val rec = Recorder()
            mockClient(rec) { json("""{"data":[],"total_count":10}""") }.use { it.sessions.listAll().toList() } shouldHaveSize 0
            rec.requests shouldHaveSize 1
        }
    }

    context("create") {
        test("POSTs user_id and active_organization_id") {
            val rec = Recorder()
            mockClient(rec) { json(sessionJson()) }.use { it.sessions.create(CreateSessionParams { userId = "user_1"; activeOrganizationId = "org_1" }) }.id shouldBe "sess_1"
            val sent = rec.requests.single()
            sent.method shouldBe "POST"
            sent.encodedPath shouldBe "/v1/sessions"
            parse(sent.body) shouldBe parse("""{"user_id":"user_1","active_organization_id":"org_1"}""")
            sent.data.body.contentType.toString() shouldBe "application/json"
        }
        test("omits active_organization_id when not given") {
            val rec = Recorder()
            mockClient(rec) { json(sessionJson()) }.use { it.sessions.create("user_1") }
            parse(rec.requests.single().body) shouldBe parse("""{"user_id":"user_1"}""")
        }
    }

    context("get") {
        test("GETs /sessions/{id} and decodes every field") {
            val rec = Recorder()
            val activity = """{"object":"session_activity","id":"sa_1","is_mobile":false,"browser_name":"Firefox","city":"Athens"}"""
            val body = sessionJson(extra = ""","tasks":[{"key":"choose-organization"}],"future_field":{"x":1}""")
                .replace("\"actor\":null", "\"actor\":{\"sub\":\"user_admin\",\"iss\":\"x\"}")
                .replace("\"latest_activity\":null", "\"latest_activity\":$activity")
                .replace("\"last_active_organization_id\":null", "\"last_active_organization_id\":\"org_9\"")
            val s = mockClient(rec) { json(body) }.use { it.sessions.get("sess_1") }
            rec.requests.single().method shouldBe "GET"
            rec.requests.single().encodedPath shouldBe "/v1/sessions/sess_1"
            s.userId shouldBe "user_1"
            s.clientId shouldBe "client_1"
            s.actor shouldBe mapOf("sub" to "user_admin", "iss" to "x")
            s.lastActiveOrganizationId shouldBe "org_9"
            s.lastActiveAt shouldBe 1700000000000
            s.expireAt shouldBe 1700600000000
            s.abandonAt shouldBe 1702600000000
            s.updatedAt shouldBe 1700000000001
            s.createdAt shouldBe 1700000000000
            s.latestActivity!!.browserName shouldBe "Firefox"
            s.latestActivity!!.city shouldBe "Athens"
            s.latestActivity!!.ipAddress.shouldBeNull()
            s.tasks!!.single().key shouldBe "choose-organization"
            s.additionalProperties() shouldBe mapOf("future_field" to mapOf("x" to 1L))
            s.createdAtInstant().toEpochMilli() shouldBe 1700000000000
        }
        test("decodes nulls and missing optional fields") {
            val s = mockClient { json(sessionJson()) }.use { it.sessions.get("sess_1") }
            s.actor.shouldBeNull()
            s.lastActiveOrganizationId.shouldBeNull()
            s.latestActivity.shouldBeNull()
            s.tasks.shouldBeNull()
            s.actorOptional().isPresent shouldBe false
            s.tasksOptional().isPresent shouldBe false
            s.additionalProperties() shouldBe emptyMap()
        }
        test("keeps an unknown status instead of failing") {
            val s = mockClient { json(sessionJson(status = "hibernating")) }.use { it.sessions.get("sess_1") }
            s.status.value shouldBe "hibernating"
            s.status.isKnown shouldBe false
            SessionStatus.PENDING.isKnown shouldBe true
        }
        test("an answer about another session is a bad response, never returned (get, revoke)") {
            mockClient(Recorder()) { json(sessionJson(id = "sess_other")) }.use { c ->
                val e = shouldThrow<dev.clerkkit.errors.ClerkResponseException> { c.sessions.get("sess_asked") }
                e.message shouldContain "sess_other"
                e.message shouldContain "sess_asked"
                shouldThrow<dev.clerkkit.errors.ClerkResponseException> { c.sessions.revoke("sess_asked") }
            }
        }

        test("encodes the id as exactly one path segment") {
            val ids = mapOf(
                "../users" to "/v1/sessions/..%2Fusers",
                "a/b?c#d" to "/v1/sessions/a%2Fb%3Fc%23d",
                "100%" to "/v1/sessions/100%25",
                "with space" to "/v1/sessions/with%20space",
                "sess_ünï" to "/v1/sessions/sess_%C3%BCn%C3%AF",
            )
            for ((id, path) in ids) {
                val rec = Recorder()
                mockClient(rec) { json(sessionJson(id = id)) }.use { it.sessions.get(id) }
                rec.requests.single().encodedPath shouldBe path
                rec.requests.single().query shouldBe ""
            }
        }
    }

    context("refresh") {
        test("POSTs every body field and decodes a Token") {
            val rec = Recorder()
            val params = RefreshSessionParams {
                sessionId = "sess_1"; expiredToken = "old.jwt.token"; refreshToken = "rt_1"; requestOrigin = "https://app.example.com"
                format = RefreshFormat.TOKEN; requestOriginatingIp = "203.0.113.9"
            }.let { it } // built via DSL
            val withHeaders = RefreshSessionParams.builder().sessionId("sess_1").expiredToken("old.jwt.token").refreshToken("rt_1")
                .requestOrigin("https://app.example.com").requestHeaders(mapOf("X-Forwarded-For" to listOf("203.0.113.9")))
                .format(RefreshFormat.COOKIE).requestOriginatingIp("203.0.113.9").build()
            val r = mockClient(rec) { json("""{"object":"token","jwt":"new.jwt.value"}""") }.use {
                it.sessions.refresh(params)
                it.sessions.refresh(withHeaders)
            }
            r.shouldBeInstanceOf<SessionRefresh.Token>().jwt shouldBe "new.jwt.value"
            rec.requests[0].method shouldBe "POST"
            rec.requests[0].encodedPath shouldBe "/v1/sessions/sess_1/refresh"
            parse(rec.requests[0].body) shouldBe parse(
                """{"expired_token":"old.jwt.token","refresh_token":"rt_1","request_origin":"https://app.example.com",
                "format":"token","request_originating_ip":"203.0.113.9"}""",
            )
            parse(rec.requests[1].body) shouldBe parse(
                """{"expired_token":"old.jwt.token","refresh_token":"rt_1","request_origin":"https://app.example.com",
                "request_headers":{"X-Forwarded-For":["203.0.113.9"]},"format":"cookie","request_originating_ip":"203.0.113.9"}""",
            )
        }
        test("sends only the required fields when nothing else is set, and decodes Cookies") {
            val rec = Recorder()
            val r = mockClient(rec) { json("""{"object":"cookies","cookies":["__session=a; Path=/","__client_uat=1; Path=/"]}""") }.use {
                it.sessions.refresh(RefreshSessionParams { sessionId = "sess_1"; expiredToken = "e"; refreshToken = "r"; requestOrigin = "o" })
            }
            parse(rec.requests.single().body) shouldBe parse("""{"expired_token":"e","refresh_token":"r","request_origin":"o"}""")
            r.shouldBeInstanceOf<SessionRefresh.Cookies>().cookies shouldHaveSize 2
        }
    }

    context("revoke") {
        test("POSTs /sessions/{id}/revoke with no body") {
            val rec = Recorder()
            mockClient(rec) { json(sessionJson(status = "revoked")) }.use { it.sessions.revoke("sess_1") }.status shouldBe SessionStatus.REVOKED
            rec.requests.single().method shouldBe "POST"
            rec.requests.single().encodedPath shouldBe "/v1/sessions/sess_1/revoke"
            rec.requests.single().body.shouldBeNull()
        }
    }

    context("verify") {
        test("POSTs {token} to /sessions/{id}/verify") {
            val rec = Recorder()
            @Suppress("DEPRECATION")
            mockClient(rec) { json(sessionJson()) }.use { it.sessions.verify(VerifySessionParams { sessionId = "sess_1"; token = "the.jwt" }) }.id shouldBe "sess_1"
            rec.requests.single().encodedPath shouldBe "/v1/sessions/sess_1/verify"
            parse(rec.requests.single().body) shouldBe parse("""{"token":"the.jwt"}""")
        }
    }

    context("createToken") {
        test("POSTs no body without a lifetime") {
            val rec = Recorder()
            mockClient(rec) { json("""{"object":"token","jwt":"a.b.c"}""") }.use { it.sessions.createToken("sess_1") }.jwt shouldBe "a.b.c"
            rec.requests.single().method shouldBe "POST"
            rec.requests.single().encodedPath shouldBe "/v1/sessions/sess_1/tokens"
            rec.requests.single().body.shouldBeNull()
        }
        test("POSTs expires_in_seconds when given") {
            val rec = Recorder()
            mockClient(rec) { json("""{"object":"token","jwt":"a.b.c"}""") }.use { it.sessions.createToken(CreateTokenParams { sessionId = "sess_1"; expiresInSeconds = 600 }) }
            parse(rec.requests.single().body) shouldBe parse("""{"expires_in_seconds":600}""")
        }
    }

    context("createTokenFromTemplate") {
        test("POSTs to /tokens/{template} with an encoded template name") {
            val rec = Recorder()
            mockClient(rec) { json("""{"object":"token","jwt":"a.b.c"}""") }.use {
                it.sessions.createTokenFromTemplate("sess_1", "custom_hasura")
                it.sessions.createTokenFromTemplate(CreateTokenFromTemplateParams { sessionId = "sess_1"; templateName = "a/b"; expiresInSeconds = 30 })
            }
            rec.requests[0].encodedPath shouldBe "/v1/sessions/sess_1/tokens/custom_hasura"
            rec.requests[0].body.shouldBeNull()
            rec.requests[1].encodedPath shouldBe "/v1/sessions/sess_1/tokens/a%2Fb"
            parse(rec.requests[1].body) shouldBe parse("""{"expires_in_seconds":30}""")
        }
    }
})
