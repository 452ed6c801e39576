package org.switchboard.line.serial.api;

import java.util.concurrent.CompletionStage;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Sends text messages through the box's GSM/LTE modules (3GPP TS 27.005 text mode), e.g. a
 * missed-call notice or a satisfaction-survey link. Registered while the serial line driver runs.
 */
@ProviderType
public interface SmsSender {

    /**
     * Sends one message. Up to 160 characters when the text is plain ASCII, up to 70 otherwise
     * (sent as UCS-2, so Chinese works); longer texts are refused, not split.
     *
     * @param lineId the GSM line to send on, or "" for any registered one
     * @param number the recipient: digits, optionally with a leading +
     * @return completes with the line used and the network's reference, or fails with
     *         {@link SmsException} saying why (no GSM line registered, refused by the network, too long)
     */
    CompletionStage<SmsReceipt> send(String lineId, String number, String text);

    /**
     * @param lineId    the line that sent it
     * @param reference the message reference the network gave (+CMGS)
     */
    record SmsReceipt(String lineId, int reference) {
    }

    /** Why a message was not sent. */
    class SmsException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public SmsException(String message) {
            super(message);
        }
    }
}
