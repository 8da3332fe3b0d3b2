/** The KServe v2 HTTP/JSON endpoints: health, metadata, inference, statistics and repository. */
@NullMarked
package dev.yardmaster.router.server.http;

import org.jspecify.annotations.NullMarked;
