package org.switchboard.voicemail.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(id = "org.switchboard.voicemail", name = "Switchboard voicemail")
public @interface VoicemailConfig {

    @AttributeDefinition(description = "Where messages are kept (WAV files per box); relative to the Karaf home")
    String directory() default "data/switchboard/voicemail";

    @AttributeDefinition(description = "Longest message, in seconds (5-600)")
    int max_seconds() default 120;

    @AttributeDefinition(description = "Silence that ends a message, in seconds (1-30)")
    int silence_seconds() default 5;

    @AttributeDefinition(description = "Messages shorter than this (ms) are not kept (0-10000)")
    int min_ms() default 1000;

    @AttributeDefinition(description = "The language of the voicemail prompts")
    String language() default "zh";

    @AttributeDefinition(description = "The survey's question (a prompt name)")
    String survey_prompt() default "rate-call";

    @AttributeDefinition(description = "The survey's scale: 5 (keys 1-5) or 4 (keys 1-4)")
    int survey_keys() default 5;

    @AttributeDefinition(description = "How long the survey waits for a key, in seconds (2-30)")
    int survey_timeout_seconds() default 8;

    @AttributeDefinition(description = "The prompts (LANG/NAME.wav); relative to the Karaf home")
    String prompts_directory() default "etc/prompts";
}
