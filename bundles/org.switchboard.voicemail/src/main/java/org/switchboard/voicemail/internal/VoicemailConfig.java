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

    @AttributeDefinition(description = "The prompts (LANG/NAME.wav); relative to the Karaf home")
    String prompts_directory() default "etc/prompts";
}
