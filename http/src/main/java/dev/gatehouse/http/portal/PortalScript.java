package dev.gatehouse.http.portal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * The admin portal's one script (docs/DECISIONS.md D-AP5): inside a frame, it posts the portal's browser events to the
 * parent window, once per allowed parent origin (the browser delivers only to the one that matches; where the browser
 * tells the parent's origin, {@code location.ancestorOrigins}, only to that one): the events of
 * the page (ORGANIZATION_SSO_ENABLED, …) and, on timers, PORTAL_SESSION_WARNING five minutes before the session ends
 * and PORTAL_SESSION_EXPIRY when it does. Its data comes from the {@code #portal-events} element's attributes (escaped
 * like every template value); the pages allow exactly this script by its hash. Everything else works without it.
 */
final class PortalScript {
    static final String TEXT = "(function(){var d=document.getElementById('portal-events');"
            + "if(!d||window.parent===window){return;}"
            + "var origins=JSON.parse(d.getAttribute('data-origins'));"
            + "var a=window.location.ancestorOrigins;"
            + "if(a&&a.length){origins=origins.filter(function(o){return o===a[0];});}"
            + "var organization=d.getAttribute('data-organization');var expiry=d.getAttribute('data-expiry');"
            + "function post(m){origins.forEach(function(o){try{window.parent.postMessage(m,o);}catch(e){}});}"
            + "JSON.parse(d.getAttribute('data-events')).forEach(post);"
            + "function session(t,text){post({event_type:t,object:'session',message:text,organization_id:organization,"
            + "data:{expiry:expiry}});}"
            + "var left=Date.parse(expiry)-Date.now();"
            + "if(left>300000){setTimeout(function(){session('PORTAL_SESSION_WARNING',"
            + "'The admin portal session will expire in 5 minutes');},left-300000);}"
            + "if(left>0){setTimeout(function(){session('PORTAL_SESSION_EXPIRY',"
            + "'The admin portal session has expired');},left);}"
            + "})();";

    /** The CSP source that allows {@link #TEXT}. */
    static final String SOURCE = "'sha256-" + sha256(TEXT) + "'";

    private PortalScript() {}

    private static String sha256(String text) {
        try {
            return Base64.getEncoder().encodeToString(
                    MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException impossible) {
            throw new IllegalStateException(impossible);
        }
    }
}
