package org.switchboard.sip.internal;

import java.text.ParseException;
import java.util.concurrent.atomic.LongAdder;

import gov.nist.javax.sip.message.SIPMessage;
import gov.nist.javax.sip.parser.MessageParser;
import gov.nist.javax.sip.parser.MessageParserFactory;
import gov.nist.javax.sip.parser.ParseExceptionListener;
import gov.nist.javax.sip.stack.SIPTransactionStack;

/**
 * The stack's message parser, counting what does not parse (garbage, broken headers) and what
 * lacks a header every SIP message needs (Via, From, To, Call-ID, CSeq). Both become parse errors,
 * so the stack answers a request with 400 where it can and otherwise drops it quietly: it would
 * log a full message at ERROR for each, which a scanner could use to fill the disk.
 */
final class MalformedCounter implements MessageParserFactory {

    private final MessageParserFactory parsers;
    private final LongAdder malformed = new LongAdder();

    MalformedCounter(MessageParserFactory parsers) {
        this.parsers = parsers;
    }

    long malformed() {
        return malformed.sum();
    }

    @Override
    public MessageParser createMessageParser(SIPTransactionStack stack) {
        MessageParser p = parsers.createMessageParser(stack);
        return (bytes, readBody, strict, listener) -> parse(p, bytes, readBody, strict, listener);
    }

    private SIPMessage parse(MessageParser p, byte[] bytes, boolean readBody, boolean strict, ParseExceptionListener listener)
            throws ParseException {
        SIPMessage m;
        try {
            m = p.parseSIPMessage(bytes, readBody, strict, listener);
        } catch (ParseException | RuntimeException e) {
            malformed.increment();
            throw e instanceof ParseException pe ? pe : new ParseException(String.valueOf(e.getMessage()), 0);
        }
        if (m != null && listener != null && (m.getTopmostVia() == null || m.getFrom() == null || m.getTo() == null
                || m.getCallId() == null || m.getCSeq() == null)) {
            malformed.increment();
            throw new ParseException("a mandatory header (Via, From, To, Call-ID, CSeq) is missing", 0);
        }
        return m;
    }
}
