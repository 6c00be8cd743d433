package dev.clerkkit.testkit.internal

import dev.clerkkit.testkit.Fault
import dev.clerkkit.testkit.RetryAfter
import java.time.ZoneOffset
import java.time.format.DateTimeFormatter
import java.util.Locale

/** Turns a scripted [Fault] into the handler's [Reply]; [normal] handles the request as usual with a given [After]. */
internal object FaultReplies {
    private val IMF_FIXDATE: DateTimeFormatter = DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US)

    fun reply(fault: Fault, after: After, normal: (After) -> Reply): Reply = when (fault) {
        is Fault.Status -> {
            val headers = fault.retryAfter?.let { listOf("Retry-After" to retryAfterValue(it)) } ?: emptyList()
            val body = ClerkJson.errors(
                ClerkJson.defaultCode(fault.status),
                ClerkJson.defaultMessage(fault.status),
                "The sandbox answered ${fault.status} because a fault was injected.",
            )
            Reply.Respond(fault.status, body.toString().toByteArray(), headers, after)
        }
        is Fault.Delay -> {
            Thread.sleep(fault.millis)
            normal(after)
        }
        Fault.Drop -> Reply.Drop
        Fault.Reset -> Reply.Reset
        Fault.TruncatedBody -> (normal(After.CLOSE) as Reply.Respond).let {
            Reply.Respond(it.status, it.body, it.headers, After.CLOSE, truncate = true)
        }
        Fault.MalformedJson -> Reply.Respond(200, "{\"object\":\"session\",\"id\":\"sess_".toByteArray(), emptyList(), after)
        Fault.ConnectionClose -> normal(After.CLOSE)
        Fault.ResetAfterResponse -> normal(After.RESET)
        is Fault.Respond -> Reply.Respond(fault.status, fault.body.toByteArray(), fault.headers, after)
    }

    private fun retryAfterValue(r: RetryAfter): String = when (r) {
        is RetryAfter.Seconds -> r.seconds.toString()
        is RetryAfter.HttpDate -> IMF_FIXDATE.format(r.at.atOffset(ZoneOffset.UTC))
    }
}
