// Every Kubernetes name and path of the ClusterLoggingConfig feature (issue 15 §2), in one place.

export const LOGGING_CONFIGS_PATH = '/v1/logging/configs';

export const CLUSTER_LOGGING_CONFIG_GROUP = 'logging.datakits.io';
export const CLUSTER_LOGGING_CONFIG_VERSION = 'v1alpha1';
export const CLUSTER_LOGGING_CONFIG_PLURAL = 'clusterloggingconfigs';
export const CLUSTER_LOGGING_CONFIG_KIND = 'ClusterLoggingConfig';
export const CLUSTER_LOGGING_CONFIG_CRD = `${CLUSTER_LOGGING_CONFIG_PLURAL}.${CLUSTER_LOGGING_CONFIG_GROUP}`;
export const CLUSTER_LOGGING_CONFIGS_API_PATH = `/apis/${CLUSTER_LOGGING_CONFIG_GROUP}/${CLUSTER_LOGGING_CONFIG_VERSION}/${CLUSTER_LOGGING_CONFIG_PLURAL}`;

/** Query parameters logfwd sends (DataKit's logfwd 1.86+). */
export const QUERY_NAMESPACE = 'namespace';
export const QUERY_POD_NAME = 'pod_name';
export const QUERY_POD_LABELS = 'pod_labels';

/** Bounds on what a caller may send: a namespace and a pod name are DNS names; labels are bounded in total. */
export const MAX_NAMESPACE_LENGTH = 63;
export const MAX_POD_NAME_LENGTH = 253;
export const MAX_POD_LABELS_LENGTH = 16 * 1024;

/** The upstream bodies, word for word (logfwd logs them). */
export const MESSAGE_PARAMETERS_REQUIRED = 'namespace, pod_name parameters are required';
export const MESSAGE_NO_MATCH = 'no matching config found';
