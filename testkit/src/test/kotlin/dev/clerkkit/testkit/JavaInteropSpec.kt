package dev.clerkkit.testkit

import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import io.kotest.matchers.string.shouldStartWith

class JavaInteropSpec : FunSpec({
    test("the API is usable from Java") {
        val out = JavaUsage.run()
        out shouldStartWith "http://127.0.0.1:"
        out shouldContain "\"status\":\"active\""
        out.substringAfterLast('|') shouldBe "3"
    }
})
