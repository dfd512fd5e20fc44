package dev.gatehouse.saml.xml;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/** Navigation among the direct children of a DOM element, by namespace and local name. */
public final class Elements {
    private Elements() {}

    /** The direct element children of {@code parent} named {@code namespace}:{@code localName}, in order. */
    public static List<Element> children(Element parent, String namespace, String localName) {
        List<Element> found = new ArrayList<>(2);
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && is(e, namespace, localName)) {
                found.add(e);
            }
        }
        return found;
    }

    /** Every direct element child of {@code parent}. */
    public static List<Element> children(Element parent) {
        List<Element> found = new ArrayList<>();
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e) {
                found.add(e);
            }
        }
        return found;
    }

    /** The only such child, empty when there is none; more than one is {@link DuplicateElementException}. */
    public static Optional<Element> optionalChild(Element parent, String namespace, String localName)
            throws DuplicateElementException {
        List<Element> found = children(parent, namespace, localName);
        if (found.size() > 1) {
            throw new DuplicateElementException(localName + " appears " + found.size() + " times in " + parent.getLocalName());
        }
        return found.isEmpty() ? Optional.empty() : Optional.of(found.getFirst());
    }

    public static boolean is(Element element, String namespace, String localName) {
        return localName.equals(element.getLocalName()) && namespace.equals(element.getNamespaceURI());
    }

    /** The attribute without namespace, empty when absent (DOM returns "" for both absent and empty). */
    public static Optional<String> attribute(Element element, String name) {
        return element.hasAttributeNS(null, name) ? Optional.of(element.getAttributeNS(null, name)) : Optional.empty();
    }

    /** An element occurs more often than the schema allows. */
    public static final class DuplicateElementException extends Exception {
        public DuplicateElementException(String message) {
            super(message, null, false, false);
        }
    }
}
