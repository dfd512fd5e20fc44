package dev.gatehouse.core.portal;

/** A link just generated, with its secret: the only time the full URL exists outside the admin's hands. */
public record IssuedPortalLink(PortalLink link, String secret) {
    /** {@code <issuer>/portal/<id>?key=<secret>}: the URL an admin opens, or an app puts in an iframe. */
    public String location(String issuerUrl) {
        return link.address(issuerUrl) + "?" + PortalLinkService.KEY_PARAMETER + "=" + secret;
    }

    @Override
    public String toString() {
        return "IssuedPortalLink[" + link.id() + ", secret redacted]";
    }
}
