import { SUCCESS_CODE, type Envelope, type ThirdAlgorithmResponseItem } from './schemas/response.js';

export function successEnvelope(data: ThirdAlgorithmResponseItem[]): Envelope {
  return { ret_code: SUCCESS_CODE, ret_msg: 'success', retCode: SUCCESS_CODE, retMsg: 'success', data };
}

export function errorEnvelope(code: string, message: string): Envelope {
  return { ret_code: code, ret_msg: message, retCode: code, retMsg: message };
}
